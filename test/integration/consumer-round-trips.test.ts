import { EventContext, RetriableError } from '@troupe/messaging';
import { topicNames } from '@troupe/schemas';
import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { deleteFromBroker } from '../support/broker-cleanup';
import { TestConsumer, startConsumer } from '../support/consumer-runtime';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/**
 * The lean per-event path (issue 9) with handlers that use their transaction in less common
 * ways: each attempt's SAVEPOINT is sent ahead in pg's pipeline mode, so statements a handler
 * issues at once (Promise.all on ctx.tx) are pipelined behind it. Against the real broker,
 * registry and PostgreSQL; one partition, one chunk.
 */
describe('consumer round trips', () => {
  const topic = uniqueName('it.trip.events');
  const Trip = defineTestEvent<{ n: number }>(
    topic,
    { type: 'record', name: 'Trip', namespace: 'troupe.it', fields: [{ name: 'n', type: 'int' }] },
    'n',
  );
  type Trip = InstanceType<typeof Trip> & { n: number };
  const group = uniqueName('it-trips');
  let senderDb: Db;
  let db: Db;
  let sender: TestConsumer;
  let consumer: TestConsumer | undefined;

  beforeAll(async () => {
    senderDb = await createTestDataSource();
    db = await createTestDataSource({ poolSize: 3 });
    await db.query('CREATE TABLE trips (event_id uuid NOT NULL, part text NOT NULL, n int NOT NULL, PRIMARY KEY (event_id, part))');
    sender = await startConsumer({ service: 'it-trip-sender', dataSource: senderDb, handlers: [], troupe: { publishes: [Trip], relay: { pollIntervalMs: 100 } } });
  });

  afterAll(async () => {
    await consumer?.stop();
    await sender?.stop();
    await senderDb?.drop();
    await db?.drop();
    await deleteFromBroker({ topics: [topic, topicNames.deadLetter(group)], groups: [group] });
  });

  it('applies handlers that issue statements concurrently, and rolls back only a failed attempt’s writes', async () => {
    const attempts = new Map<number, number>();
    consumer = await startConsumer({
      service: 'it-trips',
      dataSource: db,
      handlers: [
        {
          event: Trip,
          group,
          delivery: 'once',
          name: 'Trips.apply',
          retry: { initialDelayMs: 20 },
          handle: async (event, ctx: EventContext) => {
            const { n } = event as Trip;
            attempts.set(n, (attempts.get(n) ?? 0) + 1);
            const insert = (part: string) => ctx.tx.query('INSERT INTO trips (event_id, part, n) VALUES ($1, $2, $3)', [ctx.eventId, part, n]);
            const [count] = await Promise.all([ctx.tx.query('SELECT count(*)::int AS c FROM trips'), insert('a'), insert('b')]);
            expect(typeof count[0].c).toBe('number');
            if (n === 3 && ctx.attempt === 1) throw new RetriableError('third event fails once, after its writes');
          },
        },
      ],
    });
    const ns = [0, 1, 2, 3, 4, 5];
    await senderDb.transaction((tx) => sender.runtime.writer.addAll(tx, ns.map((n) => ({ event: Trip.of({ n }) }))));
    await waitFor('every event applied', async () => (await db.query('SELECT count(*)::int AS c FROM trips'))[0].c === ns.length * 2);

    const rows: Array<{ n: number; part: string }> = await db.query('SELECT n, part FROM trips ORDER BY n, part');
    expect(rows).toEqual(ns.flatMap((n) => [{ n, part: 'a' }, { n, part: 'b' }])); // the failed attempt's rows rolled back
    expect([...attempts.entries()].sort(([a], [b]) => a - b)).toEqual(ns.map((n) => [n, n === 3 ? 2 : 1]));
  });
});
