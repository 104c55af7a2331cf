import { IncomingMessage, OutgoingMessage, Publisher, TopicReader } from '@troupe/messaging';
import { AuditLog } from '../audit/audit-log';
import { RateLimit } from './rate-limit';
import { ReplayJob, ReplayJobStore } from './replay-job.store';

/** What a job does with one message it read: send this copy, quarantine it, or pass it by. */
export type Disposition = { send: OutgoingMessage } | { quarantine: true } | undefined;

/** How each kind of job treats the messages it reads (replay.copier.ts, redrive.copier.ts). */
export interface Copier {
  /** Before the job reads (also when it resumes): whatever dispose needs to know. */
  prepare?(job: ReplayJob): Promise<void>;
  dispose(job: ReplayJob, message: IncomingMessage): Disposition;
  /** After the broker took a batch, before its cursor moves: what was sent and what set apart (a redrive records both). */
  settle?(job: ReplayJob, sent: readonly IncomingMessage[], quarantined: readonly IncomingMessage[]): Promise<void>;
}

export interface ReplayRunnerOptions {
  batchSize: number;
}

/**
 * Runs replay jobs: reads each partition's range from its saved cursor, sends the selected copies
 * to the group's replay topic (paced), and saves the cursor after every batch the broker took.
 * A crash between sending and saving sends that batch again on resumption: harmless, since the
 * group's inbox drops events it has (missed mode) and a copy of this replay it already re-applied
 * (reprocess mode: the replay id). Jobs still 'running' at start-up are resumed.
 */
export class ReplayRunner {
  private readonly active = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly store: ReplayJobStore,
    private readonly audit: AuditLog,
    private readonly reader: TopicReader,
    private readonly publisher: () => Promise<Publisher>,
    private readonly copiers: Record<ReplayJob['kind'], Copier>,
    private readonly options: ReplayRunnerOptions,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string, error?: unknown) => void,
  ) {}

  async resume(): Promise<void> {
    for (const job of await this.store.running()) {
      this.log('info', `resuming ${job.kind} ${job.id} of group ${job.group} (${job.produced} of ${job.expected} sent before)`);
      this.launch(job);
    }
  }

  launch(job: ReplayJob): void {
    if (this.active.has(job.id) || this.stopping) return;
    const run = this.run(job).finally(() => this.active.delete(job.id));
    this.active.set(job.id, run);
  }

  /** Done when the job's promise settles (tests and the CLI's --wait use the API instead). */
  whenIdle(): Promise<void> {
    return Promise.all(this.active.values()).then(() => undefined);
  }

  /** Stops reading; jobs in flight save their cursor and stay 'running' for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.whenIdle();
  }

  private async run(job: ReplayJob): Promise<void> {
    const copier = this.copiers[job.kind];
    const rate = new RateLimit(job.ratePerSecond);
    const ranges = job.ranges
      .map((r) => ({ ...r, from: job.cursors[String(r.partition)] ?? r.from }))
      .filter((r) => BigInt(r.from) < BigInt(r.to));
    let publisher: Publisher | undefined;
    try {
      await copier.prepare?.(job);
      publisher = await this.publisher();
      const target = publisher;
      await this.reader.read(job.sourceTopic, ranges, async (partition, messages, control) => {
        for (let i = 0; i < messages.length; i += this.options.batchSize) {
          if (this.stopping) return false;
          const slice = messages.slice(i, i + this.options.batchSize);
          const send: OutgoingMessage[] = [];
          const sent: IncomingMessage[] = [];
          const quarantined: IncomingMessage[] = [];
          for (const message of slice) {
            const disposition = copier.dispose(job, message);
            if (disposition && 'send' in disposition) {
              send.push(disposition.send);
              sent.push(message);
            } else if (disposition) quarantined.push(message);
          }
          if (send.length) {
            await rate.take(send.length);
            await control.heartbeat();
            await target.publish(send);
          }
          if (sent.length || quarantined.length) await copier.settle?.(job, sent, quarantined);
          const next = (BigInt(slice[slice.length - 1].offset) + 1n).toString();
          await this.store.advance(job.id, partition, next, send.length, quarantined.length);
        }
        return !this.stopping;
      });
      if (this.stopping) return;
      const done = await this.store.finish(job.id, 'done');
      if (done) await this.audit.settle(job.id, 'done', { produced: done.produced, quarantined: done.quarantined });
      this.log('info', `${job.kind} ${job.id} of group ${job.group} done: ${done?.produced} sent, ${done?.quarantined} quarantined`);
    } catch (error) {
      if (this.stopping) return;
      const reason = (error as Error)?.message ?? String(error);
      this.log('error', `${job.kind} ${job.id} of group ${job.group} failed`, error);
      const failed = await this.store.finish(job.id, 'failed', reason).catch(() => undefined);
      if (failed) await this.audit.settle(job.id, 'failed', { produced: failed.produced, quarantined: failed.quarantined }, reason).catch(() => undefined);
    } finally {
      await publisher?.close().catch(() => undefined);
    }
  }
}
