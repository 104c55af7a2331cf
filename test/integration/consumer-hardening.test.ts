import { EventContext, NonRetriableError, RetriableError } from '@troupe/messaging';
import { DEAD_LETTER_HEADER, HEADER, topicNames } from '@troupe/schemas';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { deleteFromBroker } from '../support/broker-cleanup';
import { TestConsumer, startConsumer } from '../support/consumer-runtime';
import { readTopic } from '../support/topic-reader';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/**
 * The consumer's loss, duplicate and stall paths (issue 8: defects 2, 3, 6, 7, 8, 9), each
 * against the real broker, registry and PostgreSQL. One partition, so a batch of events sent
 * together arrives as one chunk.
 */
describe('consumer hardening', () => {
  const topic = uniqueName('it.step.events');
  const Step = defineTestEvent<{ flow: string; n: number; pad: string }>(
    topic,
    {
      type: 'record',
      name: 'Step',
      namespace: 'troupe.it',
      fields: [
        { name: 'flow', type: 'string' },
        { name: 'n', type: 'int' },
        { name: 'pad', type: 'string', default: '' },
      ],
    },
    'flow',
  );
  type Step = InstanceType<typeof Step> & { flow: string; n: number; pad: string };
  // A topic of its own for the slow dead-letter-topic-gone case: it must not meet other tests' junk.
  const lonelyTopic = uniqueName('it.lonely.events');
  const Lonely = defineTestEvent<{ flow: string }>(
    lonelyTopic,
    {
      type: 'record',
      name: 'Lonely',
      namespace: 'troupe.it',
      fields: [{ name: 'flow', type: 'string' }],
    },
    'flow',
  );
  type Lonely = InstanceType<typeof Lonely> & { flow: string };
  const groups: string[] = [];
  const group = (name: string) => {
    const id = uniqueName(`it-${name}`);
    groups.push(id);
    return id;
  };
  let senderDb: Db;
  let db: Db;
  let sender: TestConsumer;
  const running: TestConsumer[] = [];

  beforeAll(async () => {
    senderDb = await createTestDataSource();
    db = await createTestDataSource();
    await db.query(
      'CREATE TABLE effects (event_id uuid NOT NULL, grp text NOT NULL, n int NOT NULL)',
    );
    sender = await startConsumer({
      service: 'it-step-sender',
      dataSource: senderDb,
      handlers: [],
      troupe: { publishes: [Step, Lonely], relay: { pollIntervalMs: 100 } },
    });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await sender?.stop();
    await senderDb?.drop();
    await db?.drop();
    const topics = groups
      .filter((g) => g.endsWith('|topic'))
      .map((g) => g.slice(0, -'|topic'.length));
    const realGroups = groups.filter((g) => !g.endsWith('|topic'));
    await deleteFromBroker({
      topics: [topic, lonelyTopic, ...topics, ...realGroups.map((g) => topicNames.deadLetter(g))],
      groups: realGroups,
    });
  });

  const send = (flow: string, ns: number[], pad = '') =>
    senderDb.transaction((tx) =>
      sender.runtime.writer.addAll(
        tx,
        ns.map((n) => ({ event: Step.of({ flow, n, pad }) })),
      ),
    );
  const consumer = async (options: Parameters<typeof startConsumer>[0]) => {
    const started = await startConsumer(options);
    running.push(started);
    return started;
  };
  const effects = async (grp: string) =>
    (await db.query('SELECT n FROM effects WHERE grp = $1 ORDER BY n', [grp])).map(
      (r: { n: number }) => r.n,
    );

  it('runs no handler twice when a later handler of the same chunk fails (once group: savepoint per event)', async () => {
    const g = group('chunk-once');
    const calls: number[] = [];
    let failures = 1;
    await consumer({
      service: 'it-chunk-once',
      dataSource: db,
      handlers: [
        {
          event: Step,
          group: g,
          delivery: 'once',
          name: 'ChunkOnce.apply',
          retry: { initialDelayMs: 50 },
          handle: async (event, ctx: EventContext) => {
            const { flow, n } = event as Step;
            if (flow !== 'chunk-once') return;
            calls.push(n); // an effect outside the database: a bank call, an e-mail
            await ctx.tx.query('INSERT INTO effects (event_id, grp, n) VALUES ($1, $2, $3)', [
              ctx.eventId,
              g,
              n,
            ]);
            if (n === 5 && failures-- > 0) throw new RetriableError('the bank timed out');
          },
        },
      ],
    });
    await send('chunk-once', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await waitFor('all ten effects', async () => (await effects(g)).length === 10);
    expect(calls.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9]);
    expect(await effects(g)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // the failed attempt's insert rolled back
  });

  it('runs no handler twice when a later handler of the same chunk fails (broadcast group)', async () => {
    const g = group('chunk-broadcast');
    const calls: number[] = [];
    let failures = 1;
    let probed = false;
    await consumer({
      service: 'it-chunk-broadcast',
      handlers: [
        {
          event: Step,
          group: g,
          delivery: 'broadcast',
          name: 'ChunkBroadcast.apply',
          retry: { initialDelayMs: 50 },
          handle: async (event) => {
            const { flow, n } = event as Step;
            if (flow === 'chunk-broadcast-probe') probed = true;
            if (flow !== 'chunk-broadcast') return;
            calls.push(n);
            if (n === 3 && failures-- > 0) throw new Error('cache not reachable');
          },
        },
      ],
    });
    // A broadcast group starts at the end of the topic, and kafkajs resolves "the end" at the
    // group's first fetch, after it joined: probe until an event sent now is seen.
    await waitFor(
      'the broadcast group reading the topic',
      async () => {
        await send('chunk-broadcast-probe', [0]);
        return probed;
      },
      30_000,
      500,
    );
    await send('chunk-broadcast', [0, 1, 2, 3, 4, 5]);
    await waitFor('every event handled', () => new Set(calls).size === 6);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls).toEqual([0, 1, 2, 3, 3, 4, 5]);
  });

  it('times out a hung handler (retriable), takes its transaction away, and moves on', async () => {
    const g = group('timeout');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let lateUse: unknown;
    const attempts: number[] = [];
    await consumer({
      service: 'it-timeout',
      dataSource: db,
      handlers: [
        {
          event: Step,
          group: g,
          delivery: 'once',
          name: 'Timeout.apply',
          timeoutMs: 400,
          retry: { initialDelayMs: 50 },
          handle: async (event, ctx: EventContext) => {
            const { flow, n } = event as Step;
            if (flow !== 'timeout') return;
            if (n === 1) attempts.push(ctx.attempt);
            if (n === 1 && ctx.attempt === 1) {
              await gate; // hangs well past its timeout
              try {
                lateUse = { aborted: ctx.signal.aborted, result: await ctx.tx.query('SELECT 1') };
              } catch (error) {
                lateUse = { aborted: ctx.signal.aborted, error };
              }
              return;
            }
            await ctx.tx.query('INSERT INTO effects (event_id, grp, n) VALUES ($1, $2, $3)', [
              ctx.eventId,
              g,
              n,
            ]);
          },
        },
      ],
    });
    await send('timeout', [0, 1, 2]);
    await waitFor('all three effects', async () => (await effects(g)).length === 3, 20_000);
    expect(attempts).toEqual([1, 2]);
    release();
    await waitFor('the hung attempt to try its transaction', () => lateUse !== undefined);
    expect(lateUse).toMatchObject({
      aborted: true,
      error: expect.objectContaining({
        message: expect.stringMatching(/timed out and its transaction was rolled back/),
      }),
    });
    expect(await effects(g)).toEqual([0, 1, 2]);
  });

  it('reports a stuck consumer not ready, and ready again once it moves on', async () => {
    const g = group('stuck');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const stuck = await consumer({
      service: 'it-stuck',
      dataSource: db,
      troupe: { consumer: { stuckAfterMs: 500 } },
      handlers: [
        {
          event: Step,
          group: g,
          delivery: 'once',
          name: 'Stuck.apply',
          timeoutMs: 60_000,
          handle: async (event) => {
            if ((event as Step).flow !== 'stuck') return;
            entered = true;
            await gate;
          },
        },
      ],
    });
    await send('stuck', [0]);
    await waitFor('the handler to start', () => entered);
    await waitFor('readiness to drop', () => !stuck.runtime.isReady(), 5000);
    expect(stuck.runtime.stuckGroups()).toEqual([g]);
    release();
    await waitFor('readiness to return', () => stuck.runtime.isReady(), 10_000);
  });

  it('commits each chunk when it is done, not at the end of the fetched batch', async () => {
    const g = group('commits');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached = false;
    await consumer({
      service: 'it-commits',
      dataSource: db,
      troupe: { consumer: { chunkSize: 10 } },
      handlers: [
        {
          event: Step,
          group: g,
          delivery: 'once',
          name: 'Commits.apply',
          timeoutMs: 60_000,
          handle: async (event) => {
            const { flow, n } = event as Step;
            if (flow !== 'commits') return;
            if (n === 35) {
              reached = true;
              await gate;
            }
          },
        },
      ],
    });
    const before = await committedOffset(g, topic);
    const [first] = await send(
      'commits',
      Array.from({ length: 50 }, (_, i) => i),
    );
    await waitFor('the handler to reach event 35', () => reached);
    const firstOffset = await waitFor('the offset of the first event', async () => {
      const found = await readTopic(topic, (m) => m.headers[HEADER.eventId] === first.id);
      return found[0]?.offset;
    });
    // Chunks 0-9, 10-19 and 20-29 are committed; 30-39 is in flight.
    await waitFor(
      'three chunks committed',
      async () => (await committedOffset(g, topic)) === BigInt(firstOffset) + 30n,
      10_000,
    );
    expect(before).toBeLessThan(BigInt(firstOffset) + 30n);
    release();
  });

  it('prunes the inbox in a service that runs no relay', async () => {
    const g = group('prune');
    const shortTopic = uniqueName('it.short.events');
    const Short = defineTestEvent<{ flow: string }>(
      shortTopic,
      {
        type: 'record',
        name: 'Short',
        namespace: 'troupe.it',
        fields: [{ name: 'flow', type: 'string' }],
      },
      'flow',
    );
    groups.push(`${shortTopic}|topic`);
    await consumer({
      service: 'it-prune',
      dataSource: db,
      // Topics that keep messages 20 s + 20 s, so a one-minute inbox window covers them.
      troupe: {
        relay: false,
        topics: { partitions: 1, retentionMs: 20_000, segmentMs: 20_000 },
        consumer: { inboxRetentionMs: 60_000, inboxPruneIntervalMs: 200 },
      },
      handlers: [
        { event: Short, group: g, delivery: 'once', name: 'Prune.apply', handle: () => undefined },
      ],
    });
    const old = uuidv7();
    const fresh = uuidv7();
    await db.query(
      `INSERT INTO inbox (consumer_group, event_id, handled_at) VALUES ($1, $2, now() - interval '2 minutes'), ($1, $3, now())`,
      [g, old, fresh],
    );
    await waitFor(
      'the expired inbox row to go',
      async () => (await db.query('SELECT 1 FROM inbox WHERE event_id = $1', [old])).length === 0,
      10_000,
    );
    expect(await db.query('SELECT event_id FROM inbox WHERE event_id = $1', [fresh])).toHaveLength(
      1,
    );
  });

  it('refuses to start when a consumed topic keeps messages longer than the inbox remembers them', async () => {
    const longTopic = uniqueName('it.long.events');
    const Long = defineTestEvent<{ flow: string }>(
      longTopic,
      {
        type: 'record',
        name: 'Long',
        namespace: 'troupe.it',
        fields: [{ name: 'flow', type: 'string' }],
      },
      'flow',
    );
    const admin = new Kafka({
      clientId: 'it-admin',
      brokers: testInfra.kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: longTopic,
          numPartitions: 1,
          configEntries: [{ name: 'retention.ms', value: String(30 * 86_400_000) }],
        },
      ],
    });
    await admin.disconnect();
    const g = group('long');
    try {
      await expect(
        startConsumer({
          service: 'it-long',
          dataSource: db,
          handlers: [
            {
              event: Long,
              group: g,
              delivery: 'once',
              name: 'Long.apply',
              handle: () => undefined,
            },
          ],
          waitUntilReady: false,
        }),
      ).rejects.toThrow(
        new RegExp(
          `topic ${longTopic.replace(/\./g, '\\.')} keeps messages up to \\d+ h .*consumer\\.inboxRetentionMs`,
        ),
      );
    } finally {
      await deleteFromBroker({ topics: [longTopic, topicNames.deadLetter(g)] });
    }
  });

  it('labels metrics with declared types only, whatever ce_type junk traffic carries', async () => {
    const g = group('junk');
    const junk = await consumer({
      service: 'it-junk',
      dataSource: db,
      handlers: [
        { event: Step, group: g, delivery: 'once', name: 'Junk.apply', handle: () => undefined },
      ],
    });
    const body = await sender.runtime.codec.encode(Step.of({ flow: 'junk', n: 1, pad: '' }));
    const producer = new Kafka({
      clientId: 'it-junk',
      brokers: testInfra.kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const types = Array.from({ length: 25 }, (_, i) => `junk.type.${i}.${uuidv7()}`);
    await producer.send({
      topic,
      messages: types.map((type) => ({
        key: 'junk',
        value: body,
        headers: {
          [HEADER.eventId]: uuidv7(),
          [HEADER.eventType]: type,
          [HEADER.occurredAt]: new Date().toISOString(),
        },
      })),
    });
    await producer.disconnect();
    await waitFor(
      '25 dead letters',
      async () => (await readTopic(topicNames.deadLetter(g))).length === 25,
    );
    const exposition = await junk.runtime.metrics.registry.metrics();
    expect(exposition).not.toMatch(/junk\.type/);
    expect(exposition).toMatch(
      new RegExp(
        `troupe_dead_letters_total\\{group="${g}",type="undecodable",code="undecodable.body-mismatch"\\} 25`,
      ),
    );
  });

  it('sends a dead letter that is too large with its headers once more without its value, and moves on', async () => {
    const g = group('dlq-large');
    const admin = new Kafka({
      clientId: 'it-admin',
      brokers: testInfra.kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: topicNames.deadLetter(g),
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: '3000' }],
        },
      ],
    });
    await admin.disconnect();
    const handled: number[] = [];
    await consumer({
      service: 'it-dlq-large',
      dataSource: db,
      handlers: [
        {
          event: Step,
          group: g,
          delivery: 'once',
          name: 'DlqLarge.apply',
          handle: (event) => {
            const { flow, n } = event as Step;
            if (flow !== 'dlq-large') return;
            if (n === 1)
              throw new NonRetriableError(`cannot apply: ${'x'.repeat(1500)}`, {
                code: 'step.invalid',
              });
            handled.push(n);
          },
        },
      ],
    });
    await send('dlq-large', [1], 'p'.repeat(2000));
    await send('dlq-large-next', [2]);
    await send('dlq-large', [3]);
    const [dead] = await waitFor('the dead letter', async () => {
      const found = await readTopic(topicNames.deadLetter(g), (m) => m.key === 'dlq-large');
      return found.length > 0 ? found : undefined;
    });
    expect(dead.headers[DEAD_LETTER_HEADER.valueOmitted]).toBe('publish-refused.MESSAGE_TOO_LARGE');
    expect(dead.headers[DEAD_LETTER_HEADER.errorCode]).toBe('step.invalid');
    expect(dead.value?.length ?? 0).toBe(0);
    await waitFor('the next event of the key', () => handled.includes(3));
  });

  it('keeps an event whose dead-letter topic is gone as a held parked event, without crash-looping the group', async () => {
    const g = group('dlq-gone');
    const handled: string[] = [];
    const gone = await consumer({
      service: 'it-dlq-gone',
      dataSource: db,
      handlers: [
        {
          event: Lonely,
          group: g,
          delivery: 'once',
          name: 'DlqGone.apply',
          handle: (event) => {
            const { flow } = event as Lonely;
            if (flow === 'bad')
              throw new NonRetriableError('cannot apply', { code: 'step.invalid' });
            handled.push(flow);
          },
        },
      ],
    });
    await deleteFromBroker({ topics: [topicNames.deadLetter(g)] });
    await senderDb.transaction((tx) =>
      sender.runtime.writer.addAll(tx, [
        { event: Lonely.of({ flow: 'bad' }) },
        { event: Lonely.of({ flow: 'good' }) },
      ]),
    );
    await waitFor('the good event after it', () => handled.includes('good'), 90_000);
    const rows = await db.query(
      'SELECT key, held, last_error FROM parked_events WHERE consumer_group = $1',
      [g],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        key: 'bad',
        held: true,
        last_error: expect.stringMatching(/cannot apply/),
      }),
    ]);
    const restarts = await gone.runtime.metrics.registry
      .getSingleMetric('troupe_consumer_restarts_total')
      ?.get();
    expect(restarts?.values.reduce((sum, v) => sum + v.value, 0) ?? 0).toBe(0);
  });
});

async function committedOffset(group: string, topic: string): Promise<bigint> {
  const admin = new Kafka({
    clientId: 'it-offsets',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return BigInt(entry?.partitions[0]?.offset ?? '-1');
  } finally {
    await admin.disconnect();
  }
}
