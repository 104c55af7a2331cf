import { BatchContext, BatchItem, EventContext, HandlerEffects, NonRetriableError, RetriableError } from '@troupe/messaging';
import { METRIC } from '@troupe/observability';
import { HEADER, topicNames } from '@troupe/schemas';
import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { deleteFromBroker } from '../support/broker-cleanup';
import { TestConsumer, startConsumer } from '../support/consumer-runtime';
import { readTopic } from '../support/topic-reader';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/**
 * Batch handlers (issue 9), and per-event handlers declaring effects 'transaction' (a chunk's
 * run of their events shares one savepoint), against the real broker, registry and PostgreSQL: a chunk's events
 * in one call and one statement; a failing batch falls back to one event at a time, so the bad
 * event alone is dead-lettered or parked, the others are applied once, and per-key order holds.
 * One partition, and the events of a case written in one transaction, so they arrive together.
 */
describe('batch handlers and runs in one savepoint', () => {
  const topic = uniqueName('it.tally.events');
  const Tally = defineTestEvent<{ flow: string; n: number }>(
    topic,
    {
      type: 'record',
      name: 'Tally',
      namespace: 'troupe.it',
      fields: [
        { name: 'flow', type: 'string' },
        { name: 'n', type: 'int' },
      ],
    },
    'flow', // the key: every event of a case shares it
  );
  type Tally = InstanceType<typeof Tally> & { flow: string; n: number };
  const groups: string[] = [];
  const group = (name: string) => {
    const id = uniqueName(`it-batch-${name}`);
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
      'CREATE TABLE tallies (seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, grp text NOT NULL, n int NOT NULL)',
    );
    sender = await startConsumer({
      service: 'it-batch-sender',
      dataSource: senderDb,
      handlers: [],
      troupe: { publishes: [Tally], relay: { pollIntervalMs: 100 } },
    });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await sender?.stop();
    await senderDb?.drop();
    await db?.drop();
    await deleteFromBroker({ topics: [topic, ...groups.map((g) => topicNames.deadLetter(g))], groups });
  });

  /** Writes the events of one case in one transaction; returns their event ids by n. */
  const send = async (flow: string, ns: number[]): Promise<Map<number, string>> => {
    const added = await senderDb.transaction((tx) =>
      sender.runtime.writer.addAll(
        tx,
        ns.map((n) => ({ event: Tally.of({ flow, n }) })),
      ),
    );
    return new Map(added.map((a, i) => [ns[i], a.id]));
  };
  /** The group's effect rows, in the order they were written. */
  const applied = async (grp: string) =>
    (await db.query('SELECT n FROM tallies WHERE grp = $1 ORDER BY seq', [grp])).map((r: { n: number }) => r.n);

  /** A batch handler applying its items in one statement, failing as `fail` says; records each call. */
  const batchHandler = (
    g: string,
    flow: string,
    calls: Array<{ ns: number[]; alone: boolean; attempts: number[] }>,
    fail: (n: number, attempt: number) => Error | undefined = () => undefined,
  ) => ({
    event: Tally,
    group: g,
    delivery: 'once' as const,
    name: 'Tallies.record',
    retry: { initialDelayMs: 50, maxDelayMs: 200 },
    handleBatch: async (items: readonly BatchItem[], batch: BatchContext) => {
      const mine = items.filter((i) => (i.event as Tally).flow === flow);
      if (mine.length === 0) return;
      const ns = mine.map((i) => (i.event as Tally).n);
      calls.push({ ns, alone: batch.alone, attempts: mine.map((i) => i.ctx.attempt) });
      await batch.tx.query(
        'INSERT INTO tallies (event_id, grp, n) SELECT unnest($1::uuid[]), $2, unnest($3::int[])',
        [mine.map((i) => i.ctx.eventId), g, ns],
      );
      for (const item of mine) {
        const error = fail((item.event as Tally).n, item.ctx.attempt);
        if (error) throw error; // after the insert: the fallback must roll the whole batch back
      }
    },
  });

  it('hands a chunk of events to the batch handler in one call, in partition order, each applied once', async () => {
    const g = group('ok');
    const calls: Array<{ ns: number[]; alone: boolean; attempts: number[] }> = [];
    running.push(await startConsumer({ service: 'it-batch-ok', dataSource: db, handlers: [batchHandler(g, 'ok', calls)] }));
    const ns = Array.from({ length: 20 }, (_, i) => i);
    await send('ok', ns);
    await waitFor('all twenty effects', async () => (await applied(g)).length === 20);

    expect(await applied(g)).toEqual(ns);
    expect(calls.flatMap((c) => c.ns)).toEqual(ns); // partition order, nothing twice
    expect(calls.some((c) => c.ns.length > 1)).toBe(true); // batched, not one at a time
    expect(calls.every((c) => !c.alone)).toBe(true);
  });

  it('falls back to one event at a time when the batch fails: the poisoned event alone is dead-lettered, the others applied once', async () => {
    const g = group('poison');
    const calls: Array<{ ns: number[]; alone: boolean; attempts: number[] }> = [];
    const poison = (n: number) => (n === 4 ? new NonRetriableError('event 4 can never apply') : undefined);
    const consumer = await startConsumer({
      service: 'it-batch-poison',
      dataSource: db,
      handlers: [batchHandler(g, 'poison', calls, poison)],
    });
    running.push(consumer);
    const ns = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const ids = await send('poison', ns);

    await waitFor('the nine good effects', async () => (await applied(g)).length === 9);
    const dlq = topicNames.deadLetter(g);
    await waitFor('event 4 on the dead-letter topic', async () => (await readTopic(dlq)).length === 1);

    expect(await applied(g)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    const [letter] = await readTopic(dlq);
    expect(letter.headers[HEADER.eventId]).toBe(ids.get(4));
    // The failed batch held 4; from then on each of its events went alone, 4 once (non-retriable).
    const firstWithFour = calls.findIndex((c) => c.ns.includes(4));
    expect(calls[firstWithFour].alone).toBe(false);
    expect(calls[firstWithFour].ns.length).toBeGreaterThan(1);
    const after = calls.slice(firstWithFour + 1);
    expect(after.every((c) => c.alone && c.ns.length === 1)).toBe(true);
    expect(after.filter((c) => c.ns[0] === 4)).toHaveLength(1);
    expect(consumer.logs.some((l) => /a batch of \d+ troupe\.it\.Tally failed .*one at a time/.test(l))).toBe(true);
  });

  it('keeps per-key order when an event of a failed batch is parked: later events of its key wait behind it', async () => {
    const g = group('order');
    const calls: Array<{ ns: number[]; alone: boolean; attempts: number[] }> = [];
    // Event 3 fails its first two attempts; every retry of it waits longer than in place, so it parks.
    const flaky = (n: number, attempt: number) => (n === 3 && attempt <= 2 ? new RetriableError('the ledger is busy') : undefined);
    running.push(
      await startConsumer({
        service: 'it-batch-order',
        dataSource: db,
        handlers: [batchHandler(g, 'order', calls, flaky)],
        troupe: { consumer: { inPlaceRetryMaxDelayMs: 1, parkingPollIntervalMs: 100 } },
      }),
    );
    const ns = [0, 1, 2, 3, 4, 5, 6, 7];
    await send('order', ns);

    await waitFor('all eight effects', async () => (await applied(g)).length === 8, 30_000);
    expect(await applied(g)).toEqual(ns); // 4..7 were applied only after 3, which was parked
    const attemptsOfThree = calls.filter((c) => c.ns.includes(3) && c.alone).flatMap((c) => c.attempts);
    expect(attemptsOfThree).toEqual([1, 2, 3]);
    expect(calls.filter((c) => c.alone).map((c) => c.ns[0]).filter((n) => n !== 3)).toEqual([0, 1, 2, 4, 5, 6, 7]);
  });

  describe("per-event handlers with effects 'transaction'", () => {
    type Call = { n: number; attempt: number };
    /** A per-event handler inserting one row per event of its flow, failing as `fail` says (after the insert); records each call. */
    const perEvent = (
      g: string,
      flow: string,
      effects: HandlerEffects,
      calls: Call[],
      seen: Set<string>,
      fail: (n: number, attempt: number) => Error | undefined = () => undefined,
    ) => ({
      event: Tally,
      group: g,
      delivery: 'once' as const,
      name: 'Tallies.recordOne',
      effects,
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
      handle: async (event: unknown, ctx: EventContext) => {
        seen.add(ctx.eventId);
        const { n } = event as Tally;
        if ((event as Tally).flow !== flow) return;
        calls.push({ n, attempt: ctx.attempt });
        await ctx.tx.query('INSERT INTO tallies (event_id, grp, n) VALUES ($1, $2, $3)', [ctx.eventId, g, n]);
        const error = fail(n, ctx.attempt);
        if (error) throw error;
      },
    });
    /** PostgreSQL gives each subtransaction that writes its own xid: rows written in one savepoint share their xmin. */
    const subtransactions = async (grp: string) =>
      (await db.query('SELECT count(DISTINCT xmin::text)::int AS n FROM tallies WHERE grp = $1', [grp]))[0].n as number;
    const handledCount = async (consumer: TestConsumer, g: string) => {
      const metric = consumer.runtime.metrics.registry.getSingleMetric(METRIC.eventsConsumed)!;
      const { values } = await metric.get();
      return values.filter((v) => v.labels.group === g && v.labels.outcome === 'handled').reduce((sum, v) => sum + v.value, 0);
    };

    it("applies a chunk's events in one savepoint rather than one each (rows share their subtransaction), each once, in order", async () => {
      const ns = Array.from({ length: 20 }, (_, i) => i);
      const results: Record<HandlerEffects, { subtransactions: number; calls: Call[] }> = {} as never;
      for (const effects of ['transaction', 'external'] as const) {
        const g = group(`run-${effects}`);
        const calls: Call[] = [];
        const seen = new Set<string>();
        const consumer = await startConsumer({ service: `it-run-${effects}`, dataSource: db, handlers: [perEvent(g, `run-${effects}`, effects, calls, seen)] });
        running.push(consumer);
        await send(`run-${effects}`, ns);
        await waitFor(`twenty effects (${effects})`, async () => (await applied(g)).length === 20);
        expect(await applied(g)).toEqual(ns);
        await waitFor('every event counted handled', async () => (await handledCount(consumer, g)) === seen.size);
        results[effects] = { subtransactions: await subtransactions(g), calls };
      }
      expect(results.transaction.calls.map((c) => c.n)).toEqual(ns); // nothing ran twice without a failure
      expect(results.external.calls.map((c) => c.n)).toEqual(ns);
      expect(results.external.subtransactions).toBe(20); // a savepoint per event
      expect(results.transaction.subtransactions).toBeLessThan(20); // events of a chunk shared one
    });

    it('rolls the run back when one event fails and handles the events up to it alone: nothing applied twice, counted once', async () => {
      const g = group('run-retry');
      const calls: Call[] = [];
      const seen = new Set<string>();
      let failures = 1;
      const flaky = (n: number) => (n === 3 && failures-- > 0 ? new RetriableError('the ledger is busy') : undefined);
      const consumer = await startConsumer({
        service: 'it-run-retry',
        dataSource: db,
        handlers: [perEvent(g, 'run-retry', 'transaction', calls, seen, flaky)],
      });
      running.push(consumer);
      const ns = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      await send('run-retry', ns);

      await waitFor('all ten effects', async () => (await applied(g)).length === 10);
      expect(await applied(g)).toEqual(ns); // the failed run's rows rolled back, each event applied once
      const times = (n: number) => calls.filter((c) => c.n === n).length;
      expect(times(3)).toBe(2); // failed in the run, then handled alone
      for (const n of [4, 5, 6, 7, 8, 9]) expect(times(n)).toBe(1); // after the failed one: not re-run
      for (const n of [0, 1, 2]) expect([1, 2]).toContain(times(n)); // before it: may run again (their first run was rolled back)
      await waitFor('every event counted handled', async () => (await handledCount(consumer, g)) === seen.size);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await handledCount(consumer, g)).toBe(seen.size); // the rolled-back run counted nothing
      expect(consumer.logs.some((l) => /a run of \d+ events failed .*one at a time/.test(l))).toBe(true);
    });

    it('dead-letters an event of a run that can never apply, alone, and applies the others once', async () => {
      const g = group('run-poison');
      const calls: Call[] = [];
      const poison = (n: number) => (n === 4 ? new NonRetriableError('event 4 can never apply') : undefined);
      running.push(
        await startConsumer({ service: 'it-run-poison', dataSource: db, handlers: [perEvent(g, 'run-poison', 'transaction', calls, new Set(), poison)] }),
      );
      const ids = await send('run-poison', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

      await waitFor('the nine good effects', async () => (await applied(g)).length === 9);
      const dlq = topicNames.deadLetter(g);
      await waitFor('event 4 on the dead-letter topic', async () => (await readTopic(dlq)).length === 1);
      expect(await applied(g)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
      expect((await readTopic(dlq))[0].headers[HEADER.eventId]).toBe(ids.get(4));
      expect(calls.filter((c) => c.n > 4).map((c) => c.n)).toEqual([5, 6, 7, 8, 9]);
    });

    it('keeps per-key order when an event of a run is parked: later events of its key wait behind it', async () => {
      const g = group('run-order');
      const calls: Call[] = [];
      const flaky = (n: number, attempt: number) => (n === 3 && attempt <= 2 ? new RetriableError('the ledger is busy') : undefined);
      running.push(
        await startConsumer({
          service: 'it-run-order',
          dataSource: db,
          handlers: [perEvent(g, 'run-order', 'transaction', calls, new Set(), flaky)],
          troupe: { consumer: { inPlaceRetryMaxDelayMs: 1, parkingPollIntervalMs: 100 } },
        }),
      );
      const ns = [0, 1, 2, 3, 4, 5, 6, 7];
      await send('run-order', ns);

      await waitFor('all eight effects', async () => (await applied(g)).length === 8, 30_000);
      expect(await applied(g)).toEqual(ns); // 4..7 applied only after 3, which was parked
      const attemptsOfThree = calls.filter((c) => c.n === 3).map((c) => c.attempt);
      expect(attemptsOfThree.slice(-3)).toEqual([1, 2, 3]); // alone: its attempts counted from 1 (the run's try is not one)
    });
  });
});
