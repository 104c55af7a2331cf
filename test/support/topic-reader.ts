import { testInfra, uniqueName } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';

export interface RawMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads everything currently on a topic (from the beginning up to the high watermark of each
 * partition at call time), with a throwaway consumer group; returns the messages `keep` accepts.
 */
export async function readTopic(
  topic: string,
  keep: (m: RawMessage) => boolean = () => true,
): Promise<RawMessage[]> {
  const kafka = new Kafka({
    clientId: 'topic-reader',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
  );
  const found: RawMessage[] = [];
  if (remaining.size === 0) return found;
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 30_000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
        const m = {
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers,
        };
        if (keep(m)) found.push(m);
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n))
          remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return found;
}
