import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import { LocalInfra } from '../../infra/src/local-infra';
import { spawnTs } from '../support/child-process';
import { countingEvent } from '../support/counting-event';
import { RunningService, startService } from '../support/service-harness';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/** Nothing lost, nothing applied twice: across a SIGTERM mid-load, and across a broker outage. */
describe('shutdown and outage', () => {
  const topic = uniqueName('it.count.events');
  const Counted = countingEvent(topic);
  let senderDb: Db;
  let effectsDb: Db;
  let sender: RunningService;

  beforeAll(async () => {
    senderDb = await createTestDataSource();
    effectsDb = await createTestDataSource();
    await effectsDb.query('CREATE TABLE effects (event_id uuid NOT NULL)');
    sender = await startService({
      service: 'it-counter',
      dataSource: senderDb,
      troupe: {
        publishes: [Counted],
        topics: { partitions: 4 },
        relay: { pollIntervalMs: 200, maxBackoffMs: 2000 },
      },
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await senderDb?.drop();
    await effectsDb?.drop();
  });

  const effects = async () => {
    const [row] = await effectsDb.query(
      'SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_ids FROM effects',
    );
    return row as { total: number; distinct_ids: number };
  };
  const write = (count: number, from: number) =>
    senderDb.transaction((tx) =>
      sender.outbox.addAll(
        tx,
        Array.from({ length: count }, (_, i) => ({ event: Counted.of({ n: from + i }) })),
      ),
    );

  it('applies every event exactly once across a SIGTERM during a load of 3,000 events and a restart', async () => {
    const schema = (effectsDb.options as { schema: string }).schema;
    const group = uniqueName('it-counting');
    const first = spawnTs('test/support/counting-consumer.process.ts', [schema, topic, group]);
    await waitFor('the consumer to join', () => first.output().includes('ready'), 60_000);
    const writing = (async () => {
      for (let i = 0; i < 3000; i += 100) await write(100, i);
    })();
    await waitFor('some events to be handled', async () => (await effects()).total >= 500, 60_000);
    first.kill('SIGTERM');
    const exitCode = await new Promise<number | null>((resolve) => first.once('exit', resolve));
    expect(exitCode).toBe(0);
    expect(first.output()).toContain('stopped');
    const atStop = (await effects()).total;
    expect(atStop).toBeLessThan(3000); // it really was stopped mid-load
    await writing;

    const second = spawnTs('test/support/counting-consumer.process.ts', [schema, topic, group]);
    try {
      await waitFor(
        'every event to be applied',
        async () => (await effects()).total >= 3000,
        90_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await effects()).toEqual({ total: 3000, distinct_ids: 3000 });
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
  });

  it('loses nothing and applies nothing twice when the broker is down for 20 s under load', async () => {
    // A topic of its own, so the group reads only this test's events.
    const outageTopic = uniqueName('it.outage.events');
    const Outage = countingEvent(outageTopic);
    const outageDb = await createTestDataSource();
    const outageSender = await startService({
      service: 'it-outage',
      dataSource: outageDb,
      troupe: {
        publishes: [Outage],
        topics: { partitions: 4 },
        relay: { pollIntervalMs: 200, maxBackoffMs: 2000 },
      },
    });
    const writeOutage = (count: number, from: number) =>
      outageDb.transaction((tx) =>
        outageSender.outbox.addAll(
          tx,
          Array.from({ length: count }, (_, i) => ({ event: Outage.of({ n: from + i }) })),
        ),
      );
    await effectsDb.query('TRUNCATE effects');
    const group = uniqueName('it-outage');
    const schema = (effectsDb.options as { schema: string }).schema;
    const child = spawnTs('test/support/counting-consumer.process.ts', [
      schema,
      outageTopic,
      group,
    ]);
    const infra = new LocalInfra(undefined, () => undefined);
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await writeOutage(50, written);
        written += 50;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      await waitFor('the consumer to join', () => child.output().includes('ready'), 60_000);
      await waitFor('the flow to run', async () => (await effects()).total > 200, 60_000);
      await infra.kafka.down();
      const writtenAtOutage = written;
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      expect(written).toBeGreaterThan(writtenAtOutage); // business transactions went on without the broker
      await infra.kafka.up();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      // (the consumer child prints nothing but 'ready'/'stopped'; its stderr shows crashes)
      writing = false;
      await writer;
      await waitFor(
        `all ${written} events to be applied`,
        async () => {
          const [{ n: pending }] = await outageDb.query(
            'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
          );
          const { total } = await effects();
          process.stderr.write(`[outage] applied ${total}/${written}, unpublished ${pending}\n`);
          return total >= written;
        },
        150_000,
        2000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await effects()).toEqual({ total: written, distinct_ids: written });
      expect(
        (
          await outageDb.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')
        )[0].n,
      ).toBe(0);
    } finally {
      process.stderr.write(`[outage] consumer output:\n${child.output().slice(-3000)}\n`);
      writing = false;
      await writer.catch(() => undefined);
      if (!(await infra.kafka.healthy())) await infra.kafka.up();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await outageSender.stop();
      await outageDb.drop();
    }
  }, 300_000);
});
