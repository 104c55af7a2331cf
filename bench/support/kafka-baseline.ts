import { AvroCodec } from '@troupe/schemas';
import { uniqueName, waitFor } from '@troupe/testing';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { benchItem, defineBenchEvent } from './bench-event';
import { deleteTopics, infra, kafkaClient } from './bench-infra';
import { startCpuSample } from './cpu-sampler';

export interface BaselineResult {
  /** First send to last message consumed. */
  endToEndMs: number;
  /** First send to last acknowledgement. */
  produceMs: number;
  /** CPU use during the timed phase (see startCpuSample). */
  cpu: string;
}

/**
 * Plain kafkajs, no Troupe: the same Avro payloads (Confluent-framed by AvroCodec, encoded
 * before the clock starts), produced in batches by one producer configured like Troupe's
 * (idempotent, one request in flight, acks=all, no compression), consumed by one group that
 * decodes every message. `warmup` messages go first, untimed, so both sides are connected,
 * joined and JIT-warm, and the writer schema is cached, as on the Troupe side.
 */
export async function runKafkaBaseline(options: {
  events: number;
  warmup: number;
  partitions: number;
  sendBatchSize: number;
}): Promise<BaselineResult> {
  const topic = `${uniqueName('bench_raw')}.item.events`;
  const Item = defineBenchEvent(topic);
  const codec = new AvroCodec({ registryUrl: infra.registryUrl, events: [Item] });
  const kafka = kafkaClient('bench-raw');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: options.partitions }],
  });
  await admin.disconnect();

  const total = options.warmup + options.events;
  const messages: Array<{ key: string; value: Buffer }> = [];
  for (let n = 0; n < total; n++) {
    const data = benchItem(n);
    messages.push({ key: data.itemId, value: await codec.encode(Item.of(data)) });
  }

  const producer = kafka.producer({
    idempotent: false, // as Troupe's publisher (see kafkajs-publisher.ts)
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({ groupId: `${topic}-group`, allowAutoTopicCreation: false });
  let consumed = 0;
  let lastConsumedAt = 0;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: options.partitions,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) await codec.decode(message.value);
        consumed += batch.messages.length;
        if (consumed >= total) lastConsumedAt = performance.now();
      },
    });
    await waitFor('the baseline consumer to join its group', () => joined, 60_000);

    const send = async (from: number, to: number) => {
      for (let start = from; start < to; start += options.sendBatchSize) {
        await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: messages.slice(start, Math.min(to, start + options.sendBatchSize)),
        });
      }
    };
    await send(0, options.warmup);
    await waitFor(
      'the baseline warm-up to be consumed',
      () => consumed >= options.warmup,
      60_000,
      10,
    );

    const cpu = startCpuSample();
    const startedAt = performance.now();
    await send(options.warmup, total);
    const produceMs = performance.now() - startedAt;
    await waitFor('every baseline message to be consumed', () => lastConsumedAt > 0, 300_000, 5);
    return { endToEndMs: lastConsumedAt - startedAt, produceMs, cpu: cpu() };
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await deleteTopics([topic], [`${topic}-group`]);
  }
}
