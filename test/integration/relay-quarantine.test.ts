import { METRIC } from '@troupe/observability';
import { OutboxQuarantine } from '@troupe/outbox';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { RunningService, startService } from '../support/service-harness';
import { readTopic } from '../support/topic-reader';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

const schemaOn = (name: string) => ({
  type: 'record' as const,
  name,
  namespace: 'troupe.it',
  fields: [
    { name: 'crateId', type: 'string' },
    { name: 'n', type: 'int' },
    { name: 'blob', type: 'string' },
  ],
});
type Crate = { crateId: string; n: number; blob: string };

/**
 * Defect 2 of issue 8: a batch or row the broker refuses for good must not stop the outbox.
 * Batches are split below relay.maxRequestBytes; a row that can never be published is
 * quarantined (later rows of its key wait behind it, other keys flow) until it is released.
 */
describe('relay: oversized batches, quarantine and release', () => {
  const roomy = uniqueName('it.quarantine.roomy');
  const tiny = uniqueName('it.quarantine.tiny');
  const absent = uniqueName('it.quarantine.absent');
  const Roomy = defineTestEvent<Crate>(roomy, schemaOn('RoomyCrate'), 'crateId');
  const Tiny = defineTestEvent<Crate>(tiny, schemaOn('TinyCrate'), 'crateId');
  const Absent = defineTestEvent<Crate>(absent, schemaOn('AbsentCrate'), 'crateId');
  const Undeclared = defineTestEvent<Crate>(roomy, schemaOn('UndeclaredCrate'), 'crateId');
  const kafka = new Kafka({
    clientId: 'it-relay-quarantine',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const logs: string[] = [];
  let db: Db;
  let sender: RunningService;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: roomy, numPartitions: 2 },
        {
          topic: tiny,
          numPartitions: 2,
          configEntries: [{ name: 'max.message.bytes', value: '2048' }],
        },
      ],
    });
    db = await createTestDataSource();
    sender = await startService({
      service: 'it-quarantine-sender',
      dataSource: db,
      troupe: {
        publishes: [Roomy, Tiny, Absent],
        topics: { create: false }, // `absent` stays missing
        relay: { pollIntervalMs: 200, initialBackoffMs: 50, maxBackoffMs: 500 },
        log: (level, message, extra) =>
          logs.push(`${level} ${message} ${extra ? JSON.stringify(extra) : ''}`),
      },
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await db?.drop();
    await admin.deleteTopics({ topics: [roomy, tiny, absent] }).catch(() => undefined);
    await admin.disconnect();
  });

  const write = (events: ReturnType<typeof Roomy.of>[]) =>
    db.transaction((tx) =>
      sender.outbox.addAll(
        tx,
        events.map((event) => ({ event })),
      ),
    );
  const crate = (type: typeof Roomy, crateId: string, n: number, blobBytes = 10) =>
    type.of({ crateId, n, blob: 'x'.repeat(blobBytes) });
  const row = async (id: string) =>
    (
      await db.query(
        'SELECT published_at, quarantined_at, quarantine_reason FROM outbox WHERE id = $1',
        [id],
      )
    )[0];
  /** The `n` of each message of `key` on `topic`, in offset order, each event counted once. */
  const onTopic = async (topic: string, key: string) => {
    const messages = await readTopic(topic, (m) => m.key === key);
    const seen = new Set<string>();
    return messages
      .filter((m) => !seen.has(m.headers.ce_id) && seen.add(m.headers.ce_id))
      .map((m) => m.headers.ce_id);
  };
  const gauge = async (name: string) =>
    (await sender.runtime.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value;

  it('publishes a backlog of one key bigger than the broker’s message size limit, split into requests, in order', async () => {
    // 300 rows of ~5 KB for one key: ~1.5 MB in one partition, over Kafka's default 1 MiB.
    const added = await write(
      Array.from({ length: 300 }, (_, n) => crate(Roomy, 'busy', n, 5_000)),
    );
    await waitFor(
      'the whole backlog to be published',
      async () =>
        (await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0]
          .n === 0,
      60_000,
    );
    expect(await onTopic(roomy, 'busy')).toEqual(added.map((a) => a.id));
    expect(
      (await db.query('SELECT count(*)::int AS n FROM outbox WHERE quarantined_at IS NOT NULL'))[0]
        .n,
    ).toBe(0);
  });

  it('quarantines a row the topic can never take, holds later rows of its key, lets other keys flow, and publishes them once released', async () => {
    const [first, tooBig, behind] = await write([
      crate(Tiny, 'k1', 1),
      crate(Tiny, 'k1', 2, 3_000),
      crate(Tiny, 'k1', 3),
    ]);
    const [otherKey] = await write([crate(Tiny, 'k2', 1)]);
    await waitFor('the row to be quarantined', async () => (await row(tooBig.id)).quarantined_at);
    await waitFor(
      'the other key to be published',
      async () => (await row(otherKey.id)).published_at,
    );
    expect((await row(first.id)).published_at).not.toBeNull();
    expect((await row(tooBig.id)).quarantine_reason).toContain('MESSAGE_TOO_LARGE');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several relay rounds
    expect(await row(behind.id)).toMatchObject({ published_at: null, quarantined_at: null }); // waits behind it
    expect(await onTopic(tiny, 'k1')).toEqual([first.id]);
    expect(await onTopic(tiny, 'k2')).toEqual([otherKey.id]);
    expect(
      logs.some(
        (line) =>
          line.includes(tooBig.id) && line.includes(tiny) && line.includes('MESSAGE_TOO_LARGE'),
      ),
    ).toBe(true);
    expect(await gauge(METRIC.outboxQuarantined)).toBe(1);
    expect(await gauge(METRIC.outboxPending)).toBe(1); // the row behind it
    expect(await OutboxQuarantine.list(db)).toEqual([
      expect.objectContaining({
        id: tooBig.id,
        topic: tiny,
        key: 'k1',
        reason: expect.stringContaining('MESSAGE_TOO_LARGE'),
      }),
    ]);

    // The cause is fixed (the topic takes bigger messages now); release the row.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2 /* TOPIC */,
          name: tiny,
          configEntries: [{ name: 'max.message.bytes', value: '1048588' }],
        },
      ],
    });
    expect(await OutboxQuarantine.release(db, [tooBig.id])).toBe(1);
    await waitFor(
      'the released row and the one behind it to be published',
      async () => (await row(behind.id)).published_at,
      30_000,
    );
    expect(await onTopic(tiny, 'k1')).toEqual([first.id, tooBig.id, behind.id]);
    expect(await gauge(METRIC.outboxQuarantined)).toBe(0);
  });

  it('quarantines rows of a topic that does not exist without holding other topics, and publishes them once it exists', async () => {
    const [lost, fine] = await write([crate(Absent, 'a1', 1), crate(Roomy, 'a1', 1)]);
    await waitFor(
      'the row of the missing topic to be quarantined',
      async () => (await row(lost.id)).quarantined_at,
      60_000,
    );
    await waitFor(
      'the row of the existing topic to be published',
      async () => (await row(fine.id)).published_at,
    );
    expect((await row(lost.id)).quarantine_reason).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    expect(logs.some((line) => line.includes(lost.id) && line.includes(absent))).toBe(true);

    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: absent, numPartitions: 1 }],
    });
    expect(await OutboxQuarantine.release(db, [lost.id])).toBe(1);
    await waitFor(
      'the released row to be published',
      async () => (await row(lost.id)).published_at,
      30_000,
    );
    expect(await onTopic(absent, 'a1')).toEqual([lost.id]);
  });

  it('refuses to write an event whose class the service does not publish, naming the class, and writes nothing', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM outbox'))[0].n;
    await expect(
      db.transaction((tx) => sender.outbox.add(tx, crate(Undeclared, 'u1', 1))),
    ).rejects.toThrow(/UndeclaredCrate.*publishes/);
    expect((await db.query('SELECT count(*)::int AS n FROM outbox'))[0].n).toBe(before);
  });
});
