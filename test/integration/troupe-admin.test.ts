import { Injectable } from '@nestjs/common';
import { OnEvent, OutboxAdminView, ServiceTraceView } from '@troupe/messaging';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { RunningService, startService } from '../support/service-harness';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;
type Parcel = { parcelId: string; n: number };

const schema = (name: string) => ({
  type: 'record' as const,
  name,
  namespace: 'troupe.it',
  fields: [
    { name: 'parcelId', type: 'string' },
    { name: 'n', type: 'int' },
  ],
});

/**
 * The admin endpoints TroupeModule adds to every service (/troupe/admin/outbox and
 * /troupe/admin/trace), over HTTP against a real PostgreSQL, broker and registry: refused
 * without the token, the outbox's backlog and quarantine with release, and one service's part
 * of a flow (published, handled, parked).
 */
describe('troupe admin endpoints: outbox and trace', () => {
  const TOKEN = `it-admin-${randomUUID()}`;
  const shipped = uniqueName('it.admin.parcels');
  const missing = uniqueName('it.admin.missing');
  const Shipped = defineTestEvent<Parcel>(shipped, schema('ParcelShipped'), 'parcelId');
  const Lost = defineTestEvent<Parcel>(missing, schema('ParcelLost'), 'parcelId');
  const group = uniqueName('it-admin-parcels');
  const kafka = new Kafka({
    clientId: 'it-troupe-admin',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  @Injectable()
  class Parcels {
    @OnEvent(Shipped, { group, retry: { maxAttempts: 50, initialDelayMs: 200, maxDelayMs: 400 } })
    async shipped(event: Parcel) {
      if (event.parcelId.startsWith('broken'))
        throw new Error(`parcel ${event.parcelId} cannot be stored`);
    }
  }

  let db: Db;
  let service: RunningService;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [shipped, `${group}.dlq`, `${group}.replay`].map((topic) => ({
        topic,
        numPartitions: 2,
      })),
    });
    db = await createTestDataSource();
    service = await startService({
      service: 'it-admin',
      dataSource: db,
      handlers: [Parcels],
      http: true,
      troupe: {
        publishes: [Shipped, Lost],
        adminToken: TOKEN,
        topics: { create: false }, // `missing` stays missing: its rows are quarantined
        relay: { pollIntervalMs: 200, initialBackoffMs: 50, maxBackoffMs: 500 },
        consumer: { parkingPollIntervalMs: 100, inPlaceRetryMaxDelayMs: 100 },
        log: () => undefined,
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    await admin
      .deleteTopics({ topics: [shipped, missing, `${group}.dlq`, `${group}.replay`] })
      .catch(() => undefined);
    await admin.disconnect();
  });

  type Answer = { detail?: string; [field: string]: unknown };
  const call = async <T = Answer>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    token: string | null = TOKEN,
  ) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as T,
    };
  };
  const write = (events: Array<{ event: ReturnType<typeof Shipped.of>; correlationId?: string }>) =>
    db.transaction((tx) =>
      service.outbox.addAll(
        tx,
        events.map(({ event, correlationId }) => ({ event, options: { correlationId } })),
      ),
    );

  it('refuses every admin request without the token or with a wrong one (401, problem+json), showing nothing', async () => {
    const requests: Array<['GET' | 'POST', string, unknown?]> = [
      ['GET', '/troupe/admin/outbox'],
      ['POST', '/troupe/admin/outbox/quarantine/release', { all: true }],
      ['GET', `/troupe/admin/trace/${randomUUID()}`],
    ];
    for (const [method, path, body] of requests) {
      for (const token of [null, 'not-the-admin-token-at-all']) {
        const answer = await call(method, path, body, token);
        expect({ path, token, status: answer.status, type: answer.type }).toEqual({
          path,
          token,
          status: 401,
          type: expect.stringContaining('application/problem+json'),
        });
        expect(JSON.stringify(answer.body)).not.toContain(TOKEN);
        expect(answer.body).not.toHaveProperty('published');
      }
    }
  });

  it('shows the backlog and the quarantined rows with their reason, and releases a selection once the cause is fixed', async () => {
    const [lost] = await write([{ event: Lost.of({ parcelId: 'p-lost', n: 1 }) }]);
    await waitFor(
      'the row of the missing topic to be quarantined',
      async () => {
        const view: OutboxAdminView = (await call<OutboxAdminView>('GET', '/troupe/admin/outbox'))
          .body;
        return view.quarantined === 1;
      },
      60_000,
    );
    const view: OutboxAdminView = (await call<OutboxAdminView>('GET', '/troupe/admin/outbox')).body;
    expect(view).toMatchObject({
      service: 'it-admin',
      unpublished: 0,
      oldestUnpublishedAgeSeconds: 0,
      quarantined: 1,
    });
    expect(view.quarantinedRows).toEqual([
      {
        eventId: lost.id,
        eventType: Lost.eventType,
        topic: missing,
        key: 'p-lost',
        quarantinedAt: expect.any(String),
        reason: expect.stringContaining('UNKNOWN_TOPIC_OR_PARTITION'),
        attempts: expect.any(Number),
      },
    ]);

    const empty = await call('POST', '/troupe/admin/outbox/quarantine/release', {});
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('selection is empty');
    const notUuid = await call('POST', '/troupe/admin/outbox/quarantine/release', {
      ids: ['nope'],
    });
    expect(notUuid.status).toBe(400);
    expect(JSON.stringify(notUuid.body)).toContain('ids');
    expect(
      (await call('POST', '/troupe/admin/outbox/quarantine/release', { ids: [randomUUID()] })).body,
    ).toEqual({
      service: 'it-admin',
      released: 0,
    });

    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: missing, numPartitions: 1 }],
    });
    const released = await call('POST', '/troupe/admin/outbox/quarantine/release', {
      ids: [lost.id],
    });
    expect(released).toMatchObject({ status: 200, body: { service: 'it-admin', released: 1 } });
    await waitFor(
      'the released row to be published',
      async () => {
        const [row] = await db.query('SELECT published_at FROM outbox WHERE id = $1', [lost.id]);
        return row.published_at !== null;
      },
      30_000,
    );
    expect((await call('GET', '/troupe/admin/outbox')).body).toMatchObject({
      quarantined: 0,
      quarantinedRows: [],
    });
  });

  it('reports its part of one flow: rows published with the correlation id, the groups that handled them, and what is parked', async () => {
    const flow = randomUUID();
    const [ok, broken] = await write([
      { event: Shipped.of({ parcelId: 'fine-1', n: 1 }), correlationId: flow },
      { event: Shipped.of({ parcelId: 'broken-1', n: 2 }), correlationId: flow },
    ]);
    await write([{ event: Shipped.of({ parcelId: 'fine-2', n: 3 }), correlationId: randomUUID() }]);
    const trace = async (): Promise<ServiceTraceView> =>
      (
        await call<ServiceTraceView>(
          'GET',
          `/troupe/admin/trace/${flow}?events=${ok.id},${broken.id}`,
        )
      ).body;
    let seen: ServiceTraceView | undefined;
    await waitFor(
      'the first handled and the second parked',
      async () => {
        seen = await trace();
        return seen.handled.length === 1 && seen.parked.length === 1;
      },
      60_000,
    ).catch((error) => {
      throw new Error(`${error.message}; last view: ${JSON.stringify(seen)}`);
    });
    const view = await trace();
    expect(view.service).toBe('it-admin');
    expect(view.groups).toEqual([
      { group, groupId: group, delivery: 'once', eventTypes: [Shipped.eventType], deadLetterTopic: `${group}.dlq` },
    ]);
    expect(view.published.map((p) => [p.eventId, p.eventType, p.topic, p.key])).toEqual([
      [ok.id, Shipped.eventType, shipped, 'fine-1'],
      [broken.id, Shipped.eventType, shipped, 'broken-1'],
    ]);
    expect(view.published.every((p) => p.publishedAt !== null && p.quarantinedAt === null)).toBe(
      true,
    );
    expect(view.handled).toEqual([
      { groupId: group, eventId: ok.id, handledAt: expect.any(String) },
    ]);
    expect(view.parked).toEqual([
      expect.objectContaining({
        groupId: group,
        eventId: broken.id,
        eventType: Shipped.eventType,
        topic: shipped,
        lastError: expect.stringContaining('parcel broken-1 cannot be stored'),
        held: false,
      }),
    ]);
    expect(JSON.stringify(view)).not.toMatch(/payload|"value"/);

    const unknown = (await call('GET', `/troupe/admin/trace/${randomUUID()}`)).body;
    expect(unknown).toMatchObject({ service: 'it-admin', published: [], handled: [], parked: [] });
    const bad = await call('GET', `/troupe/admin/trace/${flow}?events=not-an-id`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('events');
    const badId = await call('GET', `/troupe/admin/trace/${encodeURIComponent('a b;drop')}`);
    expect(badId.status).toBe(400);
  });
});
