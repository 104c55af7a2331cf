import { EventContext } from '@troupe/messaging';
import { topicNames } from '@troupe/schemas';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { Partitioners } from 'kafkajs';
import { deleteFromBroker } from '../support/broker-cleanup';
import { spawnTs } from '../support/child-process';
import { TestConsumer, startConsumer } from '../support/consumer-runtime';
import { countingEvent } from '../support/counting-event';
import { readTopic } from '../support/topic-reader';
import { TcpProxy } from '../support/tcp-proxy';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/**
 * What happens around other replicas and outages (issue 8: defects 4, 6 and 7): a partition taken
 * away in the middle of retries, a replica frozen in the middle of a chunk, and parked events
 * while the registry is away. Real broker, registry and PostgreSQL; replicas are separate
 * runtimes (in this process or a child process).
 */
describe('consumer rebalances and outages', () => {
  const topic = uniqueName('it.flow.events');
  const Flow = defineTestEvent<{ flow: string; n: number }>(
    topic,
    {
      type: 'record',
      name: 'Flow',
      namespace: 'troupe.it',
      fields: [
        { name: 'flow', type: 'string' },
        { name: 'n', type: 'int' },
      ],
    },
    'flow',
  );
  type Flow = InstanceType<typeof Flow> & { flow: string; n: number };
  const countedTopic = uniqueName('it.counted.events');
  const Counted = countingEvent(countedTopic);
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
    await db.query('CREATE TABLE effects (event_id uuid NOT NULL)');
    sender = await startConsumer({
      service: 'it-flow-sender',
      dataSource: senderDb,
      handlers: [],
      troupe: {
        publishes: [Flow, Counted],
        topics: { partitions: 2 },
        relay: { pollIntervalMs: 100 },
      },
    });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await sender?.stop();
    await senderDb?.drop();
    await db?.drop();
    await deleteFromBroker({
      topics: [topic, countedTopic, ...groups.map((g) => topicNames.deadLetter(g))],
      groups,
    });
  });

  const consumer = async (options: Parameters<typeof startConsumer>[0]) => {
    const started = await startConsumer(options);
    running.push(started);
    return started;
  };

  it('stops retrying in place for a partition the group took away (a second replica joins mid-retry)', async () => {
    const g = group('revoke');
    const attempts: Array<{ replica: string; at: number }> = [];
    const replica = (name: string) =>
      consumer({
        service: `it-revoke-${name}`,
        dataSource: db,
        troupe: {
          topics: { partitions: 2 },
          consumer: { inPlaceRetryMaxDelayMs: 10_000 },
          kafka: { brokers: testInfra.kafkaBrokers(), heartbeatIntervalMs: 500 },
        },
        handlers: [
          {
            event: Flow,
            group: g,
            delivery: 'once',
            name: `Revoke.${name}`,
            retry: { maxAttempts: 1000, initialDelayMs: 600, multiplier: 1 },
            handle: (event) => {
              if ((event as Flow).flow !== 'revoke') return;
              attempts.push({ replica: name, at: Date.now() });
              throw new Error('keeps failing');
            },
          },
        ],
      });
    const a = await replica('a');
    await senderDb.transaction((tx) =>
      sender.runtime.writer.add(tx, Flow.of({ flow: 'revoke', n: 1 })),
    );
    await waitFor('a few attempts on replica a', () => attempts.length >= 3, 20_000);
    const b = await replica('b'); // waits until the group has rebalanced with both in it
    await waitFor(
      'both replicas in the group',
      () => a.runtime.isReady() && b.runtime.isReady(),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const since = attempts.filter((x) => x.at >= from);
    expect(since.length).toBeGreaterThan(2); // the partition's owner goes on retrying
    expect(new Set(since.map((x) => x.replica)).size).toBe(1); // and only the owner
  });

  it('lets a replica take over a partition whose previous owner froze mid-chunk: its locks are waited out, not forever', async () => {
    const g = group('frozen');
    const schema = (db.options as { schema: string }).schema;
    await senderDb.transaction((tx) =>
      sender.runtime.writer.addAll(
        tx,
        Array.from({ length: 300 }, (_, n) => ({ event: Counted.of({ n }) })),
      ),
    );
    const settings = {
      COUNTING_DELAY_MS: '40',
      COUNTING_SESSION_TIMEOUT_MS: '6000',
      COUNTING_HANDLER_TIMEOUT_MS: '3000',
      COUNTING_LOCK_TIMEOUT_MS: '1000',
    };
    const first = spawnTs(
      'test/support/counting-consumer.process.ts',
      [schema, countedTopic, g],
      settings,
    );
    try {
      await waitFor(
        'the first replica to apply some events',
        async () => (await count()) >= 120,
        60_000,
      );
      first.kill('SIGSTOP'); // frozen with a chunk's transaction open and its inbox claims held
      const takeover = await consumer({
        service: 'it-frozen-b',
        dataSource: db,
        troupe: {
          topics: { partitions: 2 },
          kafka: { brokers: testInfra.kafkaBrokers(), sessionTimeoutMs: 6000 },
          consumer: { lockTimeoutMs: 1000, handlerTimeoutMs: 3000 },
        },
        handlers: [
          {
            event: Counted,
            group: g,
            delivery: 'once',
            name: 'Frozen.count',
            handle: async (_event, ctx: EventContext) => {
              await ctx.tx.query('INSERT INTO effects (event_id) VALUES ($1)', [ctx.eventId]);
            },
          },
        ],
        waitUntilReady: false,
      });
      await waitFor('every event applied', async () => (await count()) >= 300, 120_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const [row] = await db.query(
        'SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_ids FROM effects',
      );
      expect(row).toEqual({ total: 300, distinct_ids: 300 });
      expect(
        takeover.logs.some((line) => /waited too long for another consumer's lock/.test(line)),
      ).toBe(true);
    } finally {
      first.kill('SIGKILL');
    }
  });

  it('never dead-letters a parked event while the registry is away, and handles it once it is back', async () => {
    const g = group('registry');
    const registry = new URL(testInfra.schemaRegistryUrl());
    const proxy = await TcpProxy.start({ host: registry.hostname, port: Number(registry.port) });
    const viaProxy = `http://127.0.0.1:${proxy.port}${registry.pathname}`;
    let fail = true;
    const handled: number[] = [];
    const handlers = [
      {
        event: Flow,
        group: g,
        delivery: 'once' as const,
        name: 'Registry.apply',
        retry: { initialDelayMs: 2000, maxAttempts: 10 }, // retries wait 1-2 s, 2-4 s, ...: parked
        handle: (event: unknown) => {
          const { flow, n } = event as Flow;
          if (flow !== 'registry') return;
          if (fail) throw new Error('not yet');
          handled.push(n);
        },
      },
    ];
    const options = {
      dataSource: db,
      handlers,
      troupe: {
        topics: { partitions: 2 },
        schemaRegistry: { url: viaProxy },
        consumer: { parkingPollIntervalMs: 200 },
      },
    };
    try {
      const parking = await consumer({ service: 'it-registry-a', ...options });
      await senderDb.transaction((tx) =>
        sender.runtime.writer.add(tx, Flow.of({ flow: 'registry', n: 7 })),
      );
      await waitFor('the event to be parked', async () => (await parked(g)).length === 1, 20_000);
      await parking.stop();
      running.splice(running.indexOf(parking), 1);
      proxy.cut();
      const [before] = await parked(g);
      fail = false;
      // A new replica knows no schema yet: its parking-lot worker must ask the registry.
      const b = await consumer({ service: 'it-registry-b', ...options });
      expect(b.runtime.isReady()).toBe(true);
      // Its worker tries the row as soon as it is due, and cannot decode it.
      await waitFor(
        'an attempt that could not reach the registry',
        () => b.logs.some((line) => /parking lot attempt failed .*nothing was counted/.test(line)),
        30_000,
      );
      expect(proxy.requests.length).toBeGreaterThan(0); // it did ask, and got no answer
      const [row] = await parked(g);
      expect(row).toEqual(before); // no attempt counted, not held
      expect(await readTopic(topicNames.deadLetter(g))).toEqual([]);
      expect(handled).toEqual([]);
      proxy.restore();
      await waitFor('the parked event handled', () => handled.length === 1, 60_000);
      expect(handled).toEqual([7]);
      expect(await parked(g)).toEqual([]);
      expect(await readTopic(topicNames.deadLetter(g))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('settles two chunks that deadlock on each other without parking anything (the victim is deferred to a fresh chunk)', async () => {
    const g = group('deadlock');
    await db.query('CREATE TABLE IF NOT EXISTS stock (sku text PRIMARY KEY, n int NOT NULL)');
    await db.query("INSERT INTO stock VALUES ('A', 0), ('B', 0)");
    const deadlocks: string[] = [];
    const c = await consumer({
      service: 'it-deadlock',
      dataSource: db,
      troupe: { topics: { partitions: 2 } },
      handlers: [
        {
          event: Flow,
          group: g,
          delivery: 'once',
          name: 'Deadlock.apply',
          handle: async (event, ctx: EventContext) => {
            const { flow, n } = event as Flow;
            if (!flow.startsWith('deadlock')) return;
            try {
              await ctx.tx.query('UPDATE stock SET n = n + 1 WHERE sku = $1', [
                n === 0 ? 'A' : 'B',
              ]);
            } catch (error) {
              deadlocks.push((error as { code?: string }).code ?? String(error));
              throw error;
            }
            await new Promise((resolve) => setTimeout(resolve, 300)); // both chunks hold their first lock
          },
        },
      ],
    });
    // Two keys on different partitions: one updates A then B, the other B then A.
    const partitionOf = Partitioners.DefaultPartitioner();
    const keyOn = (partition: number) => {
      for (let i = 0; ; i++) {
        const key = `deadlock-${i}`;
        const found = partitionOf({
          topic,
          partitionMetadata: [0, 1].map((p) => ({
            partitionId: p,
            leader: 0,
            partitionErrorCode: 0,
            replicas: [0],
            isr: [0],
          })),
          message: { key, value: null },
        });
        if (found === partition) return key;
      }
    };
    const [k0, k1] = [keyOn(0), keyOn(1)];
    await senderDb.transaction((tx) =>
      sender.runtime.writer.addAll(tx, [
        { event: Flow.of({ flow: k0, n: 0 }) },
        { event: Flow.of({ flow: k0, n: 1 }) },
        { event: Flow.of({ flow: `${k1}`, n: 1 }) },
        { event: Flow.of({ flow: `${k1}`, n: 0 }) },
      ]),
    );
    await waitFor(
      'all four updates',
      async () => {
        const rows = await db.query('SELECT sku, n FROM stock ORDER BY sku');
        return rows[0].n === 2 && rows[1].n === 2;
      },
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await db.query('SELECT sku, n FROM stock ORDER BY sku')).toEqual([
      { sku: 'A', n: 2 },
      { sku: 'B', n: 2 },
    ]);
    expect(deadlocks).toContain('40P01'); // the chunks did deadlock
    expect(await parked(g)).toEqual([]);
    expect(await readTopic(topicNames.deadLetter(g))).toEqual([]);
    const retried = await c.runtime.metrics.registry.getSingleMetric('troupe_retries_total')?.get();
    expect(retried?.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
  });

  const count = async () =>
    (await db.query('SELECT count(*)::int AS n FROM effects'))[0].n as number;
  const parked = (g: string) =>
    db.query('SELECT attempts, held FROM parked_events WHERE consumer_group = $1', [g]);
});
