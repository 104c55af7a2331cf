import { KafkajsTransport, OutgoingMessage, Publisher } from '@troupe/messaging';
import { PublishRefusedError } from '@troupe/outbox';
import { testInfra, uniqueName } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { readTopic } from '../support/topic-reader';

/**
 * Defect 1 of issue 8: a produce request that fails for one partition after the broker wrote
 * another. kafkajs fails the whole request (produce v3+ response parse throws on the first
 * partition error) and, with idempotence on, rolls back the sequence numbers of every partition
 * in it (src/producer/sendMessages.js, the catch around broker.produce), so the next send to the
 * written partition reuses sequence numbers the broker already holds. These tests make the
 * broker refuse one partition of a request (a topic whose max.message.bytes is tiny) and then
 * check that what is published next is really on the topic.
 */
describe('the relay producer after a publish the broker refused in part', () => {
  const open = uniqueName('it.producer.open');
  const tiny = uniqueName('it.producer.tiny');
  const kafka = new Kafka({
    clientId: 'it-relay-producer',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let transport: KafkajsTransport;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: open, numPartitions: 1 },
        {
          topic: tiny,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: '1024' }],
        },
      ],
    });
    transport = new KafkajsTransport({ brokers: testInfra.kafkaBrokers(), log: () => undefined });
  });

  afterAll(async () => {
    await transport?.close();
    await admin.deleteTopics({ topics: [open, tiny] }).catch(() => undefined);
    await admin.disconnect();
  });

  const message = (topic: string, key: string, value: string): OutgoingMessage => ({
    topic,
    key,
    value: Buffer.from(value),
    headers: { note: value },
  });
  const oversized = (key: string) => message(tiny, key, 'x'.repeat(4096));
  /** The values of `key` on the open topic, in offset order, each counted once (a resend after a failure may repeat one). */
  const valuesOf = async (key: string) => [
    ...new Set((await readTopic(open, (m) => m.key === key)).map((m) => m.value!.toString())),
  ];

  /** Sends `first`, then a request the broker writes to the open topic but refuses for the tiny one. */
  async function partlyRefused(publisher: Publisher, key: string): Promise<void> {
    await publisher.publish([message(open, key, `${key}-0`)]);
    await expect(
      publisher.publish([message(open, key, `${key}-1`), oversized(key)]),
    ).rejects.toThrow();
  }

  it('writes the next publish of the same shape (not acknowledged as a duplicate of the partly written one)', async () => {
    const publisher = await transport.publisher();
    try {
      await partlyRefused(publisher, 'same-shape');
      await publisher.publish([message(open, 'same-shape', 'same-shape-2')]);
      await publisher.publish([message(open, 'same-shape', 'same-shape-3')]);
      expect(await valuesOf('same-shape')).toEqual([
        'same-shape-0',
        'same-shape-1',
        'same-shape-2',
        'same-shape-3',
      ]);
    } finally {
      await publisher.close();
    }
  });

  it('writes the next publish of another shape (not refused as out of order, again and again)', async () => {
    const publisher = await transport.publisher();
    try {
      await partlyRefused(publisher, 'other-shape');
      await publisher.publish([
        message(open, 'other-shape', 'other-shape-2'),
        message(open, 'other-shape', 'other-shape-3'),
      ]);
      await publisher.publish([message(open, 'other-shape', 'other-shape-4')]);
      expect(await valuesOf('other-shape')).toEqual([
        'other-shape-0',
        'other-shape-1',
        'other-shape-2',
        'other-shape-3',
        'other-shape-4',
      ]);
    } finally {
      await publisher.close();
    }
  });

  it('reports a record batch over the topic’s max.message.bytes as refused for good', async () => {
    const publisher = await transport.publisher();
    try {
      const error = await publisher.publish([oversized('refused')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishRefusedError);
      expect(error).toMatchObject({ reason: 'MESSAGE_TOO_LARGE', retriable: false });
    } finally {
      await publisher.close();
    }
  });

  it('reports a topic that does not exist as refused for good, naming it, once kafkajs’ retries are spent', async () => {
    const missing = uniqueName('it.producer.missing');
    const publisher = await transport.publisher();
    try {
      const error = await publisher
        .publish([message(open, 'missing', 'fine'), message(missing, 'missing', 'nowhere')])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishRefusedError);
      expect(error).toMatchObject({ reason: 'UNKNOWN_TOPIC_OR_PARTITION', topics: [missing] });
    } finally {
      await publisher.close();
    }
  });
});
