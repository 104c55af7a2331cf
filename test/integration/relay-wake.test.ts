import { CommitWake } from '@troupe/outbox';
import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { deleteFromBroker } from '../support/broker-cleanup';
import { TestConsumer, startConsumer } from '../support/consumer-runtime';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/**
 * The relay is woken after a writer's commit (CommitWake, issue 9), not by a NOTIFY inside the
 * writer's transaction: directly when the leading relay is in the writer's process, by a
 * notification sent after the commit otherwise. Against real PostgreSQL and Kafka; the relay
 * polls once a minute here, so anything published within seconds was woken.
 */
describe('relay wake-up after commit', () => {
  const topic = uniqueName('it.wake.events');
  const Ping = defineTestEvent<{ id: string }>(
    topic,
    { type: 'record', name: 'Ping', namespace: 'troupe.it', fields: [{ name: 'id', type: 'string' }] },
    'id',
  );
  const schema = uniqueName('it_wake').replace(/-/g, '_');
  let leaderDb: Db;
  let writerDb: Db;
  let leader: TestConsumer;
  let writer: TestConsumer;

  beforeAll(async () => {
    // Two processes of one service, as two runtimes on two DataSources of the same schema.
    leaderDb = await createTestDataSource({ schema });
    writerDb = await createTestDataSource({ schema });
    const troupe = { publishes: [Ping], relay: { pollIntervalMs: 60_000 } };
    leader = await startConsumer({ service: 'it-wake', dataSource: leaderDb, handlers: [], troupe });
    await waitFor('the leader relay', () => leader.runtime.relayState === 'leader', 30_000);
    writer = await startConsumer({ service: 'it-wake', dataSource: writerDb, handlers: [], troupe: { ...troupe, relay: false } });
  });

  afterAll(async () => {
    await writer?.stop();
    await leader?.stop();
    await writerDb?.destroy();
    await leaderDb?.drop();
    await deleteFromBroker({ topics: [topic] });
  });

  const published = async (id: string) =>
    (await leaderDb.query('SELECT published_at FROM outbox WHERE id = $1', [id]))[0]?.published_at != null;

  it('wakes the leader in another process with a notification sent after the commit', async () => {
    const wake = CommitWake.of(writerDb);
    const before = wake.notifications;
    const added = await writerDb.transaction((tx) => writer.runtime.writer.add(tx, Ping.of({ id: 'a' })));
    await waitFor('the row published', () => published(added.id), 10_000, 50);
    expect(wake.notifications).toBeGreaterThan(before);
  });

  it('wakes the leader of its own process directly, without a notification', async () => {
    const wake = CommitWake.of(leaderDb);
    const before = wake.notifications;
    const added = await leaderDb.transaction((tx) => leader.runtime.writer.add(tx, Ping.of({ id: 'b' })));
    await waitFor('the row published', () => published(added.id), 10_000, 50);
    expect(wake.notifications).toBe(before);
  });

  it('sends nothing before the outermost transaction commits, nor for a rolled-back write', async () => {
    const wake = CommitWake.of(writerDb);
    await waitFor('earlier notifications sent', async () => {
      const n = wake.notifications;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return wake.notifications === n;
    });
    const before = wake.notifications;
    let duringOuter = NaN;
    const added = await writerDb.transaction(async (outer) => {
      const inner = await outer.transaction((tx) => writer.runtime.writer.add(tx, Ping.of({ id: 'c' }))); // a savepoint, released
      await new Promise((resolve) => setTimeout(resolve, 300));
      duringOuter = wake.notifications;
      return inner;
    });
    expect(duringOuter).toBe(before);
    await waitFor('the row published', () => published(added.id), 10_000, 50);

    const afterCommit = wake.notifications;
    await expect(
      writerDb.transaction(async (tx) => {
        await writer.runtime.writer.add(tx, Ping.of({ id: 'd' }));
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wake.notifications).toBe(afterCommit);
  });
});
