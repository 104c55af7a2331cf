import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { DataSource } from 'typeorm';
import { RunningService, startService } from '../support/service-harness';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/** Once per service, across replicas; every service sees every event; broadcast reaches every replica. */
describe('consumer groups', () => {
  const topic = uniqueName('it.ticket.events');
  const TicketIssued = defineTestEvent<{ ticketId: string; seq: number }>(
    topic,
    {
      type: 'record',
      name: 'TicketIssued',
      namespace: 'troupe.it',
      fields: [
        { name: 'ticketId', type: 'string' },
        { name: 'seq', type: 'int' },
      ],
    },
    'ticketId',
  );
  type TicketIssued = InstanceType<typeof TicketIssued> & { ticketId: string; seq: number };
  const billing = uniqueName('it-billing');
  const audit = uniqueName('it-audit');
  const live = uniqueName('it-live');
  const liveSeen = new Map<string, Set<string>>(); // replica → event ids

  /** A handler class per replica, so broadcast sightings can be told apart. */
  function handlersFor(replica: string) {
    @Injectable()
    class Handlers {
      @OnEvent(TicketIssued, { group: billing })
      async bill(event: TicketIssued, ctx: EventContext) {
        await ctx.tx.query('INSERT INTO effects (grp, event_id, replica) VALUES ($1, $2, $3)', [
          billing,
          ctx.eventId,
          replica,
        ]);
      }

      @OnEvent(TicketIssued, { group: live, delivery: 'broadcast' })
      seeLive(_event: TicketIssued, ctx: EventContext) {
        const seen = liveSeen.get(replica) ?? new Set<string>();
        seen.add(ctx.eventId);
        liveSeen.set(replica, seen);
      }
    }
    return Handlers;
  }

  @Injectable()
  class AuditHandlers {
    @OnEvent(TicketIssued, { group: audit })
    async record(_event: TicketIssued, ctx: EventContext) {
      await ctx.tx.query('INSERT INTO effects (grp, event_id, replica) VALUES ($1, $2, $3)', [
        audit,
        ctx.eventId,
        'audit',
      ]);
    }
  }

  let producerDb: Db;
  let billingDb: Db;
  let auditDb: Db;
  let replicaDbs: DataSource[] = [];
  const services: RunningService[] = [];

  beforeAll(async () => {
    producerDb = await createTestDataSource();
    billingDb = await createTestDataSource();
    auditDb = await createTestDataSource();
    for (const db of [billingDb, auditDb])
      await db.query('CREATE TABLE effects (grp text, event_id uuid, replica text)');
    // A second replica of the billing service: same schema, its own connections.
    const second = await createTestDataSource({
      schema: (billingDb.options as { schema: string }).schema,
    });
    replicaDbs = [second];
    services.push(
      await startService({
        service: 'it-issuer',
        dataSource: producerDb,
        troupe: { publishes: [TicketIssued] },
      }),
    );
    services.push(
      await startService({
        service: 'it-billing',
        dataSource: billingDb,
        handlers: [handlersFor('a')],
        troupe: { relay: false, instanceId: 'a' },
      }),
    );
    services.push(
      await startService({
        service: 'it-billing',
        dataSource: second,
        handlers: [handlersFor('b')],
        troupe: { relay: false, instanceId: 'b' },
      }),
    );
    services.push(
      await startService({
        service: 'it-audit',
        dataSource: auditDb,
        handlers: [AuditHandlers],
        troupe: { relay: false },
      }),
    );
  });

  afterAll(async () => {
    for (const service of services.reverse()) await service.stop();
    for (const db of replicaDbs) await db.destroy();
    await Promise.all([producerDb, billingDb, auditDb].map((db) => db?.drop()));
  });

  it('handles each of 3,000 events exactly once per service, shared by two replicas, and once in every other service', async () => {
    const total = 3000;
    const issuer = services[0];
    for (let start = 0; start < total; start += 250) {
      await producerDb.transaction((tx) =>
        issuer.outbox.addAll(
          tx,
          Array.from({ length: 250 }, (_, i) => ({
            event: TicketIssued.of({ ticketId: `t-${(start + i) % 97}`, seq: start + i }),
          })),
        ),
      );
    }
    const count = (db: DataSource, sql: string) => db.query(sql).then((rows) => Number(rows[0].n));
    await waitFor(
      'billing to handle every event',
      async () =>
        (await count(billingDb, 'SELECT count(DISTINCT event_id) AS n FROM effects')) === total,
      90_000,
    );
    await waitFor(
      'audit to handle every event',
      async () =>
        (await count(auditDb, 'SELECT count(DISTINCT event_id) AS n FROM effects')) === total,
      90_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000)); // room for any duplicate to land

    expect(await count(billingDb, 'SELECT count(*) AS n FROM effects')).toBe(total);
    expect(await count(auditDb, 'SELECT count(*) AS n FROM effects')).toBe(total);
    const perReplica = await billingDb.query(
      'SELECT replica, count(*)::int AS n FROM effects GROUP BY replica ORDER BY replica',
    );
    expect(perReplica.map((r: { replica: string }) => r.replica)).toEqual(['a', 'b']); // the partitions were shared
    expect(perReplica.every((r: { n: number }) => r.n > 0)).toBe(true);
  });

  it('uses the group names the code gives, and <group>.<instance> for broadcast', () => {
    expect(services[1].runtime.consumerGroups().sort()).toEqual([billing, `${live}.a`].sort());
    expect(services[3].runtime.consumerGroups()).toEqual([audit]);
  });

  it('delivers broadcast events to every replica', async () => {
    const added = await producerDb.transaction((tx) =>
      services[0].outbox.addAll(
        tx,
        Array.from({ length: 20 }, (_, i) => ({
          event: TicketIssued.of({ ticketId: `live-${i}`, seq: i }),
        })),
      ),
    );
    const ids = added.map((a) => a.id);
    await waitFor('both replicas to see every broadcast event', () =>
      ['a', 'b'].every((r) => ids.every((id) => liveSeen.get(r)?.has(id))),
    );
  });
});
