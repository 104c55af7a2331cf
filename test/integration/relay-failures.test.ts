import { Injectable } from '@nestjs/common';
import { EventContext, KafkajsTransport, OnEvent, Publisher, Transport } from '@troupe/messaging';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { spawnTs } from '../support/child-process';
import { RunningService, startService } from '../support/service-harness';
import { readTopic } from '../support/topic-reader';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/** A real transport whose publisher fails once right after the broker has acknowledged: the relay "dies" before marking rows published. */
function crashingOnceAfterPublish(): Transport & { crashed: () => boolean } {
  const real = new KafkajsTransport({ brokers: testInfra.kafkaBrokers(), log: () => undefined });
  let armed = true;
  return Object.assign(Object.create(real) as Transport, {
    crashed: () => !armed,
    publisher: async (): Promise<Publisher> => {
      const publisher = await real.publisher();
      return {
        close: () => publisher.close(),
        publish: async (messages) => {
          await publisher.publish(messages);
          if (armed && messages.some((m) => m.key === 'crash-me')) {
            armed = false;
            throw new Error('relay killed after producing, before marking published');
          }
        },
      };
    },
  });
}

describe('relay failures', () => {
  const topic = uniqueName('it.crate.events');
  const CrateMoved = defineTestEvent<{ crateId: string }>(
    topic,
    {
      type: 'record',
      name: 'CrateMoved',
      namespace: 'troupe.it',
      fields: [{ name: 'crateId', type: 'string' }],
    },
    'crateId',
  );
  type CrateMoved = InstanceType<typeof CrateMoved> & { crateId: string };
  const group = uniqueName('it-crates');

  @Injectable()
  class CrateHandlers {
    @OnEvent(CrateMoved, { group })
    async moved(event: CrateMoved, ctx: EventContext) {
      await ctx.tx.query('INSERT INTO effects (event_id, crate_id) VALUES ($1, $2)', [
        ctx.eventId,
        event.crateId,
      ]);
    }
  }

  let consumerDb: Db;
  let consumer: RunningService;

  beforeAll(async () => {
    consumerDb = await createTestDataSource();
    await consumerDb.query('CREATE TABLE effects (event_id uuid, crate_id text)');
    consumer = await startService({
      service: 'it-crates',
      dataSource: consumerDb,
      handlers: [CrateHandlers],
      troupe: { relay: false },
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await consumerDb?.drop();
  });

  const effects = async (crateId: string) =>
    Number(
      (
        await consumerDb.query('SELECT count(*) AS n FROM effects WHERE crate_id = $1', [crateId])
      )[0].n,
    );

  it('publishes again after a crash between producing and marking, and the inbox applies the event once', async () => {
    const db = await createTestDataSource();
    const transport = crashingOnceAfterPublish();
    const sender = await startService({
      service: 'it-crate-sender',
      dataSource: db,
      troupe: { publishes: [CrateMoved] },
    });
    await sender.stop(); // topics and schema exist now; restart on the crashing transport
    const { TroupeRuntime } = await import('@troupe/messaging');
    const runtime = new TroupeRuntime(
      {
        service: 'it-crate-sender',
        kafka: { brokers: testInfra.kafkaBrokers() },
        schemaRegistry: { url: testInfra.schemaRegistryUrl() },
        publishes: [CrateMoved],
        relay: { pollIntervalMs: 200, initialBackoffMs: 50 },
        log: () => undefined,
      },
      db,
      { transport },
    );
    await runtime.start();
    try {
      await db.transaction((tx) => runtime.writer.add(tx, CrateMoved.of({ crateId: 'crash-me' })));
      await waitFor(
        'the row to be marked published after the retry',
        async () => (await db.query('SELECT published_at, attempts FROM outbox'))[0]?.published_at,
      );
      const [row] = await db.query('SELECT attempts FROM outbox');
      expect(transport.crashed()).toBe(true);
      expect(row.attempts).toBe(2);
      const copies = await waitFor('both copies on the topic', async () => {
        const found = await readTopic(topic, (m) => m.key === 'crash-me');
        return found.length === 2 ? found : undefined;
      });
      expect(copies[0].headers.ce_id).toBe(copies[1].headers.ce_id); // the same event, twice
      await waitFor('the event to be applied', async () => (await effects('crash-me')) === 1);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await effects('crash-me')).toBe(1);
    } finally {
      await runtime.stop();
      await db.drop();
    }
  });

  it('lets a standby take over publishing within seconds when the leader process is killed', async () => {
    const db = await createTestDataSource();
    const schema = (db.options as { schema: string }).schema;
    const writerService = await startService({
      service: 'it-crate-writer',
      dataSource: db,
      troupe: { publishes: [CrateMoved], relay: false },
    });
    const leader = spawnTs('test/support/relay-process.ts', [schema]);
    let standby: ReturnType<typeof spawnTs> | undefined;
    try {
      await waitFor('the first relay to lead', () => leader.output().includes('leader'), 60_000);
      standby = spawnTs('test/support/relay-process.ts', [schema]);
      await waitFor(
        'the second relay to stand by',
        () => standby!.output().includes('standby'),
        60_000,
      );
      const write = (crateId: string) =>
        db.transaction((tx) => writerService.outbox.add(tx, CrateMoved.of({ crateId })));
      await write('before-failover');
      await waitFor('the leader to publish', async () => (await effects('before-failover')) === 1);

      leader.kill('SIGKILL');
      const killedAt = Date.now();
      await write('after-failover');
      await waitFor(
        'the standby to publish',
        async () => (await effects('after-failover')) === 1,
        30_000,
      );
      const takeoverMs = Date.now() - killedAt;
      await waitFor('the standby to report leadership', () => standby!.output().includes('leader'));
      expect(takeoverMs).toBeLessThan(15_000); // "within seconds": PostgreSQL frees the dead session's lock at once
    } finally {
      leader.kill('SIGKILL');
      standby?.kill('SIGKILL');
      await writerService.stop();
      await db.drop();
    }
  });
});
