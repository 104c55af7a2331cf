import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import { HEADER, SchemaViolationError } from '@troupe/schemas';
import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { RunningService, startService } from '../support/service-harness';
import { readTopic } from '../support/topic-reader';

/** The path every event takes: business transaction + outbox → relay → Kafka → handler with inbox. */
describe('event path: outbox → relay → consumer with inbox', () => {
  const topic = uniqueName('it.parcel.events');
  const ParcelSent = defineTestEvent<{ parcelId: string; weight: number }>(
    topic,
    {
      type: 'record',
      name: 'ParcelSent',
      namespace: 'troupe.it',
      fields: [
        { name: 'parcelId', type: 'string' },
        { name: 'weight', type: 'int' },
      ],
    },
    'parcelId',
  );
  type ParcelSent = InstanceType<typeof ParcelSent> & { parcelId: string; weight: number };
  const group = uniqueName('it-receiver');
  const handled: Array<{ parcelId: string; ctx: EventContext }> = [];

  @Injectable()
  class Receiver {
    @OnEvent(ParcelSent, { group })
    async receive(event: ParcelSent, ctx: EventContext) {
      await ctx.tx.query('INSERT INTO received (event_id, parcel_id) VALUES ($1, $2)', [
        ctx.eventId,
        event.parcelId,
      ]);
      handled.push({ parcelId: event.parcelId, ctx });
    }
  }

  let sender: RunningService;
  let receiver: RunningService;
  let senderDb: Awaited<ReturnType<typeof createTestDataSource>>;
  let receiverDb: Awaited<ReturnType<typeof createTestDataSource>>;

  beforeAll(async () => {
    senderDb = await createTestDataSource();
    receiverDb = await createTestDataSource();
    await receiverDb.query('CREATE TABLE received (event_id uuid, parcel_id text)');
    sender = await startService({
      service: 'it-sender',
      dataSource: senderDb,
      troupe: { publishes: [ParcelSent] },
    });
    receiver = await startService({
      service: 'it-receiver',
      dataSource: receiverDb,
      handlers: [Receiver],
      troupe: { relay: false },
    });
  });

  afterAll(async () => {
    await receiver?.stop();
    await sender?.stop();
    await senderDb?.drop();
    await receiverDb?.drop();
  });

  const receivedRows = async (parcelId: string) =>
    (
      await receiverDb.query('SELECT count(*)::int AS n FROM received WHERE parcel_id = $1', [
        parcelId,
      ])
    )[0].n as number;

  it('publishes an event whose transaction commits, and the handler applies it', async () => {
    await senderDb.transaction((tx) =>
      sender.outbox.add(tx, ParcelSent.of({ parcelId: 'p-commit', weight: 3 })),
    );
    await waitFor(
      'the committed event to be handled',
      async () => (await receivedRows('p-commit')) === 1,
    );
    const { ctx } = handled.find((h) => h.parcelId === 'p-commit')!;
    expect(ctx.key).toBe('p-commit');
    expect(ctx.producer).toBe('it-sender');
    expect(ctx.correlationId).toBe(ctx.eventId); // it starts a flow
    expect(ctx.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('never publishes an event whose transaction rolls back', async () => {
    await expect(
      senderDb.transaction(async (tx) => {
        await sender.outbox.add(tx, ParcelSent.of({ parcelId: 'p-rollback', weight: 1 }));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    // A later committed event on the same key proves the relay has passed that point.
    await senderDb.transaction((tx) =>
      sender.outbox.add(tx, ParcelSent.of({ parcelId: 'p-rollback', weight: 2 })),
    );
    await waitFor('the later event', async () => (await receivedRows('p-rollback')) === 1);
    const onTopic = await readTopic(topic, (m) => m.key === 'p-rollback');
    expect(onTopic).toHaveLength(1);
    expect(
      (
        await senderDb.query('SELECT count(*)::int AS n FROM outbox WHERE key = $1', ['p-rollback'])
      )[0].n,
    ).toBe(1);
  });

  it('fails the business transaction when the event does not match its schema', async () => {
    await senderDb.query('CREATE TABLE IF NOT EXISTS business (id text)');
    const attempt = senderDb.transaction(async (tx) => {
      await tx.query("INSERT INTO business (id) VALUES ('b-1')");
      await sender.outbox.add(
        tx,
        ParcelSent.of({ parcelId: 'p-bad', weight: 'heavy' as unknown as number }),
      );
    });
    await expect(attempt).rejects.toBeInstanceOf(SchemaViolationError);
    await expect(attempt).rejects.toThrow(/weight/);
    expect((await senderDb.query('SELECT count(*)::int AS n FROM business'))[0].n).toBe(0);
    expect(
      (await senderDb.query("SELECT count(*)::int AS n FROM outbox WHERE key = 'p-bad'"))[0].n,
    ).toBe(0);
  });

  it('carries correlation and causation into events a handler publishes', async () => {
    const Reply = defineTestEvent<{ parcelId: string }>(uniqueName('it.reply.events'), {
      type: 'record',
      name: 'ReplySent',
      namespace: 'troupe.it',
      fields: [{ name: 'parcelId', type: 'string' }],
    });
    const replyDb = await createTestDataSource();
    @Injectable()
    class Replier {
      @OnEvent(ParcelSent, { group: uniqueName('it-replier') })
      async reply(event: ParcelSent, ctx: EventContext) {
        if (event.parcelId === 'p-cause') await ctx.publish(Reply.of({ parcelId: event.parcelId }));
      }
    }
    const replier = await startService({
      service: 'it-replier',
      dataSource: replyDb,
      handlers: [Replier],
      troupe: { publishes: [Reply] },
    });
    try {
      const [{ id, headers }] = await senderDb.transaction(async (tx) => {
        const added = await sender.outbox.add(
          tx,
          ParcelSent.of({ parcelId: 'p-cause', weight: 1 }),
          { correlationId: 'flow-42' },
        );
        return tx.query('SELECT id, headers FROM outbox WHERE id = $1', [added.id]);
      });
      expect(headers[HEADER.correlationId]).toBe('flow-42');
      const [reply] = await waitFor('the reply on its topic', async () => {
        const found = await readTopic(Reply.topic, () => true);
        return found.length > 0 ? found : undefined;
      });
      expect(reply.headers[HEADER.correlationId]).toBe('flow-42');
      expect(reply.headers[HEADER.causationId]).toBe(id);
      expect(reply.headers[HEADER.source]).toBe('it-replier');
    } finally {
      await replier.stop();
      await replyDb.drop();
    }
  });
});
