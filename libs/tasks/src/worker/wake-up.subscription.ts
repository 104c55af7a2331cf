import { GroupConsumer, PartitionBatch, Transport } from '@troupe/messaging';
import type { TroupeMetrics } from '@troupe/observability';
import { HEADER, TaskSubmitted } from '@troupe/schemas';

/** What the wake-up consumer asks of the worker. */
export interface WakeTarget {
  /** True when the worker's last claim found less work than it had room for. */
  readonly hungry: boolean;
  /** Resolves when the worker becomes hungry (or after `ms`). */
  untilHungry(ms: number): Promise<void>;
  wake(): void;
  readonly stopping: boolean;
}

/**
 * TaskSubmitted events as wake-ups, in one consumer group shared by every worker replica, so a
 * submission wakes one replica, not all. The task row, not the message, is the work: a worker
 * claims from PostgreSQL in priority order, so messages are never decoded and their offsets
 * commit at once (a long task never holds a partition). While the worker is busy its claims
 * keep it fed, so wake-ups are held back (with heartbeats) until it is hungry again: a backlog
 * of a million tasks does not make the worker fetch a million messages while it drains.
 */
export async function subscribeWakeUps(
  transport: Transport,
  options: { group: string; topic: string; partitionConcurrency: number; partitions: number },
  target: WakeTarget,
  deps: { metrics: TroupeMetrics; log: (message: string, error?: unknown) => void },
): Promise<GroupConsumer> {
  await transport.ensureTopics([{ topic: options.topic, partitions: options.partitions }]);
  // A GroupConsumer: a crash (e.g. "the coordinator is loading" while a fresh broker starts)
  // rejoins with back-off, counted in troupe_consumer_restarts_total, instead of leaving the
  // worker without wake-ups (and not ready) for good.
  const consumer = new GroupConsumer(
    {
      group: options.group,
      topics: [options.topic],
      fromBeginning: false,
      partitionConcurrency: options.partitionConcurrency,
      restartMaxBackoffMs: 30_000,
      stuckAfterMs: Number.POSITIVE_INFINITY,
    },
    transport,
    {
      process: async (batch: PartitionBatch) => {
        const last = batch.messages[batch.messages.length - 1];
        if (!last) return;
        if (batch.messages.some((m) => m.headers[HEADER.eventType] === TaskSubmitted.eventType)) {
          while (!target.hungry && !target.stopping && batch.isActive()) {
            await target.untilHungry(1000);
            await batch.heartbeat();
          }
          target.wake();
        }
        batch.markDone(last);
        await batch.commit();
      },
    },
    deps.metrics,
    deps.log,
  );
  await consumer.launch();
  return consumer;
}
