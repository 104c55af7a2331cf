import type { PartitionBatch, Subscription, Transport } from '@troupe/messaging';
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
): Promise<Subscription> {
  await transport.ensureTopics([{ topic: options.topic, partitions: options.partitions }]);
  return transport.subscribe(
    {
      group: options.group,
      topics: [options.topic],
      fromBeginning: false,
      partitionConcurrency: options.partitionConcurrency,
    },
    async (batch: PartitionBatch) => {
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
  );
}
