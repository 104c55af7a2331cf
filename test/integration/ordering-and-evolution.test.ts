import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { RunningService, startService } from '../support/service-harness';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

describe('per-key order across partitions, with concurrent writers', () => {
  const topic = uniqueName('it.account.events');
  const Posted = defineTestEvent<{ accountId: string; version: number }>(
    topic,
    {
      type: 'record',
      name: 'EntryPosted',
      namespace: 'troupe.it',
      fields: [
        { name: 'accountId', type: 'string' },
        { name: 'version', type: 'int' },
      ],
    },
    'accountId',
  );
  type Posted = InstanceType<typeof Posted> & { accountId: string; version: number };
  const seen = new Map<string, number[]>();
  const partitions = new Set<number>();

  @Injectable()
  class Ledger {
    @OnEvent(Posted, { group: uniqueName('it-ledger') })
    posted(event: Posted, ctx: EventContext) {
      partitions.add(ctx.partition);
      seen.set(event.accountId, [...(seen.get(event.accountId) ?? []), event.version]);
    }
  }

  let writerDb: Db;
  let readerDb: Db;
  let writer: RunningService;
  let reader: RunningService;

  beforeAll(async () => {
    writerDb = await createTestDataSource({ poolSize: 12 });
    readerDb = await createTestDataSource();
    await writerDb.query('CREATE TABLE accounts (id text PRIMARY KEY, version int NOT NULL)');
    writer = await startService({
      service: 'it-ledger-writer',
      dataSource: writerDb,
      troupe: { publishes: [Posted] },
    });
    reader = await startService({
      service: 'it-ledger',
      dataSource: readerDb,
      handlers: [Ledger],
      troupe: { relay: false, consumer: { partitionConcurrency: 4 } },
    });
  });

  afterAll(async () => {
    await reader?.stop();
    await writer?.stop();
    await writerDb?.drop();
    await readerDb?.drop();
  });

  it('delivers each aggregate’s events in the order their transactions committed', async () => {
    const accounts = Array.from({ length: 24 }, (_, i) => `acc-${i}`);
    for (const id of accounts) await writerDb.query('INSERT INTO accounts VALUES ($1, 0)', [id]);
    const perWriter = 60;
    // 8 writers at once, each bumping random accounts: the aggregate row lock orders them.
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const accountId = accounts[(w * 7 + i * 13) % accounts.length];
          await writerDb.transaction(async (tx) => {
            const [[{ version }]] = await tx.query(
              'UPDATE accounts SET version = version + 1 WHERE id = $1 RETURNING version',
              [accountId],
            );
            await writer.outbox.add(tx, Posted.of({ accountId, version }));
          });
        }
      }),
    );
    const total = 8 * perWriter;
    await waitFor(
      'every event',
      () => [...seen.values()].reduce((n, v) => n + v.length, 0) >= total,
      60_000,
    );
    for (const [accountId, versions] of seen) {
      expect({ accountId, versions }).toEqual({
        accountId,
        versions: versions.map((_, i) => i + 1),
      });
    }
    expect(partitions.size).toBeGreaterThan(1); // the keys really were spread over partitions
    expect([...seen.values()].reduce((n, v) => n + v.length, 0)).toBe(total);
  });
});

describe('schema evolution', () => {
  const topic = uniqueName('it.member.events');
  const v1 = {
    type: 'record' as const,
    name: 'MemberJoined',
    namespace: 'troupe.it',
    fields: [{ name: 'memberId', type: 'string' }],
  };
  const v2 = {
    ...v1,
    fields: [...v1.fields, { name: 'referrer', type: ['null', 'string'], default: null }],
  };
  const JoinedV1 = defineTestEvent<{ memberId: string }>(topic, v1, 'memberId');
  const JoinedV2 = defineTestEvent<{ memberId: string; referrer?: string | null }>(
    topic,
    v2,
    'memberId',
  );
  type JoinedV2 = InstanceType<typeof JoinedV2> & { memberId: string; referrer: string | null };
  const received: JoinedV2[] = [];

  @Injectable()
  class Members {
    @OnEvent(JoinedV2, { group: uniqueName('it-members') })
    joined(event: JoinedV2, _ctx: EventContext) {
      received.push(event);
    }
  }

  it('decodes events written with an older schema version into the current type', async () => {
    const oldDb = await createTestDataSource();
    const newDb = await createTestDataSource();
    const readerDb = await createTestDataSource();
    const oldWriter = await startService({
      service: 'it-members-v1',
      dataSource: oldDb,
      troupe: { publishes: [JoinedV1] },
    });
    const newWriter = await startService({
      service: 'it-members-v2',
      dataSource: newDb,
      troupe: { publishes: [JoinedV2] },
    });
    const reader = await startService({
      service: 'it-members',
      dataSource: readerDb,
      handlers: [Members],
      troupe: { relay: false },
    });
    try {
      await oldDb.transaction((tx) => oldWriter.outbox.add(tx, JoinedV1.of({ memberId: 'm-old' })));
      await newDb.transaction((tx) =>
        newWriter.outbox.add(tx, JoinedV2.of({ memberId: 'm-new', referrer: 'm-old' })),
      );
      await waitFor('both events', () => received.length >= 2);
      const byId = Object.fromEntries(received.map((e) => [e.memberId, e]));
      expect(byId['m-old']).toBeInstanceOf(JoinedV2);
      expect(byId['m-old'].referrer).toBeNull(); // filled from the reader schema's default
      expect(byId['m-new'].referrer).toBe('m-old');
      const schemaIds = await Promise.all([
        oldWriter.runtime.codec.schemaId(JoinedV1),
        newWriter.runtime.codec.schemaId(JoinedV2),
      ]);
      expect(schemaIds[0]).not.toBe(schemaIds[1]); // two versions under one subject
    } finally {
      for (const service of [reader, newWriter, oldWriter]) await service.stop();
      for (const db of [oldDb, newDb, readerDb]) await db.drop();
    }
  });
});
