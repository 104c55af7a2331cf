import { TroupeMetrics } from '@troupe/observability';
import { AvroCodec, isRetriable } from '@troupe/schemas';
import { IncomingMessage, PartitionBatch } from '../transport/transport.port';
import { isLockTimeout } from './chunk-transaction';
import { EnvelopeOrigin, UnscopedEnvelope } from './envelope';
import { GroupPipeline } from './pipelines/group-pipeline';
import { ProgressWatch } from './progress-watch';
import { receive } from './received-event';

export interface PartitionWorkerSettings {
  /** Events per chunk (one transaction in 'once' groups). */
  chunkSize: number;
  /** A chunk's offset commit waits until this long after the previous one (0: none waits); the batch's last goes at once. */
  commitIntervalMs: number;
  /** How often the group membership is kept alive while a batch is worked on. */
  heartbeatIntervalMs: number;
}

/**
 * Works through one partition batch in chunks: decodes each message (dead-lettering what can
 * never decode, skipping what no handler of the group wants), runs the chunk through the group's
 * pipeline, then marks it done and commits its offset, so nothing is committed before its
 * effects. It heartbeats while it works and stops as soon as the partition goes away. A registry
 * or database that is down ends the batch with an error (the consumer restarts, the partition
 * is redelivered); a chunk that waited too long for another replica's lock is left for the next
 * fetch.
 */
export class PartitionWorker {
  constructor(
    private readonly pipeline: GroupPipeline,
    private readonly codec: AvroCodec,
    private readonly settings: PartitionWorkerSettings,
    private readonly metrics: TroupeMetrics,
    private readonly progress: ProgressWatch,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  async process(batch: PartitionBatch): Promise<void> {
    const { messages } = batch;
    const { chunkSize, heartbeatIntervalMs } = this.settings;
    const origin = this.pipeline.freshOrigin(batch);
    const heartbeats = setInterval(
      () => void batch.heartbeat().catch(() => undefined),
      heartbeatIntervalMs,
    );
    this.progress.begin();
    // A chunk's offset commit overlaps the next chunk's work; each is awaited before the next is
    // sent, and the last before the batch is done (a crash may redeliver the chunk whose commit
    // was in flight: the inbox absorbs it). One sooner than commitIntervalMs after the previous
    // is deferred: a later chunk's commit, or a timer at the interval, takes its offset along.
    let committing: Promise<void> | undefined;
    let deferred: NodeJS.Timeout | undefined;
    let lastCommitAt = -Infinity;
    const commitNow = () => {
      clearTimeout(deferred);
      deferred = undefined;
      lastCommitAt = Date.now();
      const previous = committing;
      committing = previous ? previous.then(() => batch.commit()) : batch.commit();
      committing.catch(() => undefined); // awaited below; not unhandled meanwhile
    };
    try {
      let start = 0;
      while (start < messages.length) {
        if (!batch.isActive()) break;
        const chunk = messages.slice(start, start + chunkSize);
        const envelopes = await this.decode(chunk, origin);
        const partition = {
          topic: batch.topic,
          partition: batch.partition,
          epoch: batch.assignmentEpoch,
        };
        const settled =
          envelopes.length === 0
            ? 0
            : await this.pipeline.runChunk(envelopes, partition, () => batch.isActive());
        // Everything before the first envelope not settled is done (skipped messages included).
        const next =
          settled < envelopes.length ? chunk.indexOf(envelopes[settled].message) : chunk.length;
        if (next > 0) {
          batch.markDone(chunk[next - 1]);
          const wait = lastCommitAt + this.settings.commitIntervalMs - Date.now();
          if (wait <= 0) {
            await committing;
            commitNow();
          } else deferred ??= setTimeout(commitNow, wait);
        }
        if (next < chunk.length) {
          if (!batch.isActive()) break;
          // Deferred after a conflict with another transaction: it leads the next chunk, a moment later.
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
        }
        start += next;
      }
      if (deferred) commitNow();
      await committing;
    } catch (error) {
      await committing?.catch(() => undefined);
      if (!isLockTimeout(error)) throw error;
      // Another replica's transaction still holds these events (a rebalance moved the partition
      // while it worked): leave them for the next fetch rather than wait without bound.
      this.log(
        `${this.pipeline.group.groupId}: ${batch.topic}/${batch.partition} waited too long for another consumer's lock; trying again shortly`,
        error,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      clearTimeout(deferred);
      clearInterval(heartbeats);
      this.progress.end();
    }
  }

  private async decode(
    chunk: readonly IncomingMessage[],
    origin: EnvelopeOrigin,
  ): Promise<UnscopedEnvelope[]> {
    const { group } = this.pipeline;
    const envelopes: UnscopedEnvelope[] = [];
    for (const message of chunk) {
      try {
        const received = await receive(this.codec, message);
        const handler = group.byType.get(received.eventType);
        if (handler && received.event)
          envelopes.push({ message, received, handler, attempt: 1, origin });
        else this.metrics.consumedEvent(group.groupId, 'other', 'skipped');
      } catch (error) {
        if (isRetriable(error)) throw error; // e.g. the registry is down: crash, restart, redeliver
        envelopes.push({ message, undecodable: error, attempt: 1, origin });
      }
    }
    return envelopes;
  }
}
