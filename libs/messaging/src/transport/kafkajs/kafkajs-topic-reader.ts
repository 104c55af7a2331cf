import { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { PartitionRange, ReadControl, TopicReader } from '../topic-reader.port';
import { IncomingMessage } from '../transport.port';
import { translateKafkaError } from './kafkajs-errors';
import { toIncoming } from './kafkajs-subscription';

/**
 * kafkajs has no assign(): each read joins a throwaway group of its own (`<groupPrefix><uuid>`,
 * never committed, deleted afterwards), seeks every partition of a range to its start and pauses
 * the others. A read that made no progress for `idleTimeoutMs` fails (the range is gone, or the
 * broker away).
 */
export class KafkajsTopicReader implements TopicReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly groupPrefix = 'troupe-reader.',
    private readonly idleTimeoutMs = 60_000,
  ) {}

  async read(
    topic: string,
    ranges: readonly PartitionRange[],
    onBatch: (partition: number, messages: readonly IncomingMessage[], control: ReadControl) => Promise<boolean | void>,
  ): Promise<void> {
    const open = new Map(ranges.filter((r) => BigInt(r.from) < BigInt(r.to)).map((r) => [r.partition, r]));
    if (open.size === 0) return;
    const groupId = `${this.groupPrefix}${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: 3, restartOnFailure: async () => false } });
    let finish!: (error?: unknown) => void;
    const finished = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
    let lastProgress = Date.now();
    let busy = 0; // batches being handled: a slow (paced) onBatch is not a stall
    const idle = setInterval(() => {
      if (busy === 0 && Date.now() - lastProgress > this.idleTimeoutMs)
        finish(new Error(`reading ${topic} made no progress for ${this.idleTimeoutMs} ms (partitions ${[...open.keys()].join(', ')} left)`));
    }, 1000);
    consumer.on(consumer.events.CRASH, ({ payload }) => finish(payload.error));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, heartbeat, isRunning }) => {
          const range = open.get(batch.partition);
          if (!range || !isRunning()) return;
          lastProgress = Date.now();
          const to = BigInt(range.to);
          const messages = batch.messages.filter((m) => BigInt(m.offset) >= BigInt(range.from) && BigInt(m.offset) < to).map((m) => toIncoming(batch, m));
          busy++;
          let goOn: boolean | void;
          try {
            goOn = messages.length === 0 ? true : await onBatch(batch.partition, messages, { heartbeat: () => heartbeat() });
          } catch (error) {
            // Ends the read here: kafkajs would fetch the batch again and hand it over twice.
            finish(error);
            return;
          } finally {
            busy--;
            lastProgress = Date.now();
          }
          const last = batch.messages.length ? BigInt(batch.messages[batch.messages.length - 1].offset) : -1n;
          if (goOn === false) finish();
          else if (last + 1n >= to) {
            open.delete(batch.partition);
            consumer.pause([{ topic, partitions: [batch.partition] }]);
            if (open.size === 0) finish();
          }
        },
      });
      const all = (await this.partitionsOf(topic)).filter((p) => !open.has(p));
      if (all.length) consumer.pause([{ topic, partitions: all }]);
      for (const range of open.values()) consumer.seek({ topic, partition: range.partition, offset: range.from });
      await finished;
    } catch (error) {
      throw translateKafkaError(error);
    } finally {
      clearInterval(idle);
      await consumer.disconnect().catch(() => undefined);
      const admin = this.kafka.admin();
      await admin
        .connect()
        .then(() => admin.deleteGroups([groupId]))
        .catch(() => undefined)
        .finally(() => admin.disconnect().catch(() => undefined));
    }
  }

  private async partitionsOf(topic: string): Promise<number[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0]?.partitions.map((p) => p.partitionId) ?? [];
    } finally {
      await admin.disconnect();
    }
  }
}
