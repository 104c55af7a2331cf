import { TroupeMetrics } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { AvroCodec, isRetriable } from '@troupe/schemas';
import { IncomingMessage, PartitionBatch } from '../transport/transport.port';
import { DeadLetters } from './dead-letters';
import { HandlerRegistration } from './handler-registration';
import { Invocation, invokeHandler } from './handler-invocation';
import { InboxTransaction } from './inbox-transaction';
import { receive } from './received-event';
import { resolveRetry, retryDelay } from './retry.options';

export interface BatchProcessorOptions {
  /** The consumer group id (the inbox and metrics use it). */
  group: string;
  /** The group as declared by handlers: names the dead-letter topic (broadcast ids carry a suffix). */
  declaredGroup: string;
  /** Handlers of this group by event type. */
  handlers: ReadonlyMap<string, HandlerRegistration>;
  /** Events applied per database transaction on the fast path. */
  chunkSize: number;
  /** Broadcast groups run handlers without a transaction or inbox. */
  transactional: boolean;
}

/** Thrown to abandon a batch whose partition was revoked or whose consumer is stopping. */
class BatchAbandoned extends Error {}

/**
 * Works through one partition's batch in order. Fast path: a chunk of events is applied in one
 * transaction. If that fails, the chunk is applied again one event at a time, so one failing
 * event cannot hold back the others: it is retried with back-off and, when its attempts are
 * used up or its error is not retriable, dead-lettered. Undecodable messages are dead-lettered
 * at once; events no handler of the group wants are skipped. Offsets are marked done and
 * committed only after the effects of everything before them have committed.
 */
export class BatchProcessor {
  private readonly inboxTransaction?: InboxTransaction;

  constructor(
    private readonly options: BatchProcessorOptions,
    private readonly codec: AvroCodec,
    private readonly writer: OutboxWriter,
    private readonly deadLetters: DeadLetters,
    private readonly metrics: TroupeMetrics,
    dataSource: import('typeorm').DataSource | undefined,
  ) {
    if (options.transactional) {
      if (!dataSource) throw new Error(`group ${options.group}: 'once' delivery needs a DataSource for the inbox`);
      this.inboxTransaction = new InboxTransaction(dataSource, writer);
    }
  }

  async process(batch: PartitionBatch): Promise<void> {
    const { messages } = batch;
    try {
      for (let start = 0; start < messages.length; start += this.options.chunkSize) {
        if (!batch.isActive()) return;
        const chunk = messages.slice(start, start + this.options.chunkSize);
        const invocations = await this.prepare(chunk);
        await this.applyChunk(invocations, batch);
        batch.markDone(chunk[chunk.length - 1]);
        await batch.commit();
        await batch.heartbeat();
      }
    } catch (error) {
      if (error instanceof BatchAbandoned) return;
      throw error;
    }
  }

  /** Decodes the chunk: dead-letters what cannot decode, skips what no handler wants. */
  private async prepare(chunk: readonly IncomingMessage[]): Promise<Invocation[]> {
    const invocations: Invocation[] = [];
    for (const message of chunk) {
      let received;
      try {
        received = await receive(this.codec, message);
      } catch (error) {
        if (isRetriable(error)) throw error; // e.g. the registry is down: crash, restart, redeliver
        const now = new Date();
        await this.deadLetters.send(this.options.declaredGroup, message, message.headers['ce_type'] ?? 'unknown', { error, attempts: 0, firstFailureAt: now, lastFailureAt: now });
        this.metrics.consumedEvent(this.options.group, 'undecodable', 'dead-lettered');
        continue;
      }
      const registration = this.options.handlers.get(received.eventType);
      if (!registration || !received.event) {
        this.metrics.consumedEvent(this.options.group, received.eventType, 'skipped');
        continue;
      }
      invocations.push({ received, registration, attempt: 1 });
    }
    return invocations;
  }

  private async applyChunk(invocations: readonly Invocation[], batch: PartitionBatch): Promise<void> {
    if (invocations.length === 0) return;
    if (invocations.length > 1) {
      try {
        this.record(invocations, await this.apply(invocations));
        return;
      } catch {
        // One of them failed: fall through and apply them one by one.
      }
    }
    for (const invocation of invocations) await this.applyWithRetries(invocation, batch);
  }

  private async applyWithRetries(first: Invocation, batch: PartitionBatch): Promise<void> {
    const retry = resolveRetry(first.registration.retry, first.registration.name);
    let firstFailureAt: Date | undefined;
    for (let attempt = 1; ; attempt++) {
      const invocation = { ...first, attempt };
      try {
        this.record([invocation], await this.apply([invocation]));
        return;
      } catch (error) {
        firstFailureAt ??= new Date();
        const { group } = this.options;
        const type = invocation.received.eventType;
        if (!isRetriable(error) || attempt >= retry.maxAttempts) {
          await this.deadLetters.send(this.options.declaredGroup, invocation.received.message, type, { error, attempts: attempt, firstFailureAt, lastFailureAt: new Date() });
          this.metrics.consumedEvent(group, type, 'dead-lettered');
          return;
        }
        this.metrics.consumedEvent(group, type, 'failed');
        this.metrics.retried(group, type);
        await this.pause(retryDelay(retry, attempt), batch);
      }
    }
  }

  private async apply(invocations: readonly Invocation[]) {
    if (this.inboxTransaction) return this.inboxTransaction.apply(this.options.group, invocations);
    const results = [];
    for (const invocation of invocations) {
      const started = process.hrtime.bigint();
      await invokeHandler(invocation, undefined, this.writer);
      results.push({ outcome: 'handled' as const, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    }
    return results;
  }

  private record(invocations: readonly Invocation[], results: ReadonlyArray<{ outcome: 'handled' | 'duplicate'; seconds: number }>): void {
    results.forEach((result, i) =>
      this.metrics.consumedEvent(this.options.group, invocations[i].received.eventType, result.outcome, result.outcome === 'handled' ? result.seconds : undefined),
    );
  }

  /** Waits between attempts, heartbeating, and gives up the batch if the partition goes away. */
  private async pause(ms: number, batch: PartitionBatch): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!batch.isActive()) throw new BatchAbandoned();
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
      await batch.heartbeat().catch(() => undefined);
    }
  }
}
