import { DynamicModule, INestApplication, Injectable, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  EventContext,
  OnEvent,
  PlatformEnv,
  ProblemDetailsFilter,
  TroupeRuntime,
  loadConfig,
  troupeValidationPipe,
} from '@troupe/messaging';
import { METRIC } from '@troupe/observability';
import { AddedEvent } from '@troupe/outbox';
import { EventClass, TroupeEvent } from '@troupe/schemas';
import { createTestDataSource, testInfra, uniqueName, waitFor } from '@troupe/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { RunningService, startService } from './service-harness';

/**
 * Helpers of the domain-app suites: an app's real Nest module booted in-process against a
 * schema and a consumer group of its own, and a probe that publishes the app's incoming events
 * on the run's own copy of the reference topics and records what the app publishes back.
 */

/**
 * The topic namespace of this test file's sandboxed apps and probes: they talk only to each
 * other, never to the reference topics a running system (or another run) uses.
 */
const RUN_TOPIC_PREFIX = `${uniqueName('it')}.`;

/** Settings for one sandboxed copy of an app: a fresh schema (superuser-owned) and a fresh group. */
export async function sandboxConfig<T extends PlatformEnv>(
  type: new () => T,
  service: string,
  env: Record<string, string> = {},
): Promise<T & { dropSchema(): Promise<void> }> {
  const schema = `it_${service}_${uniqueName('').slice(1)}`;
  const config = loadConfig(type, {
    DATABASE_URL: testInfra.databaseUrl(),
    DATABASE_SCHEMA: schema,
    CONSUMER_GROUP: uniqueName(`it-${service}`),
    KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
    SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
    LOG_LEVEL: 'warn',
    TOPIC_PREFIX: RUN_TOPIC_PREFIX,
    // Several suites share one PostgreSQL (max_connections 100 by default).
    DATABASE_POOL_SIZE: '5',
    ...env,
  });
  await admin(`CREATE SCHEMA "${schema}"`);
  return Object.assign(config, {
    dropSchema: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  });
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: testInfra.databaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface DomainApp {
  app: INestApplication;
  /** For supertest: `request(app.http)`. */
  http: ReturnType<INestApplication['getHttpServer']>;
  runtime: TroupeRuntime;
  dataSource: DataSource;
  /** Whether the app's consumer group has handled every one of these events (its inbox has them). */
  handled(events: readonly AddedEvent[]): Promise<boolean>;
  /** How many events of a type the app's consumers counted with this outcome so far (troupe_events_consumed_total). */
  consumed(type: EventClass, outcome: 'handled' | 'duplicate' | 'skipped'): Promise<number>;
  /** How many events of a type the app has written to its outbox for an order. */
  published(type: EventClass, orderId: string): Promise<number>;
  stop(): Promise<void>;
}

/** Boots an app module as runService would (validation pipe, problem details), without listening. */
export async function startDomainApp(module: DynamicModule): Promise<DomainApp> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  app.useGlobalPipes(troupeValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const runtime = app.get(TroupeRuntime);
  try {
    await app.init();
    await waitFor('the app consumers in their groups', () => runtime.isReady(), 60_000);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const dataSource = app.get(DataSource);
  const count = async (sql: string, params: unknown[]) =>
    (await dataSource.query(sql, params))[0].n as number;
  return {
    app,
    http: app.getHttpServer(),
    runtime,
    dataSource,
    handled: async (events) =>
      (await count('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [
        events.map((e) => e.id),
      ])) === events.length,
    consumed: async (type, outcome) => {
      const metric = await runtime.metrics.registry.getSingleMetric(METRIC.eventsConsumed)?.get();
      return (metric?.values ?? [])
        .filter((v) => v.labels.type === type.eventType && v.labels.outcome === outcome)
        .reduce((sum, v) => sum + v.value, 0);
    },
    published: (type, orderId) =>
      count('SELECT count(*)::int AS n FROM outbox WHERE key = $1 AND event_type = $2', [
        orderId,
        type.eventType,
      ]),
    stop: () => app.close(),
  };
}

interface Seen {
  event: TroupeEvent & { orderId?: string };
  ctx: EventContext;
}

/**
 * Publishes events like a real upstream service would (outbox → relay → reference topic) and
 * records the events of the watched types that the app under test publishes (in a consumer
 * group of its own). The reference topics are shared: other runs, and a running system, publish
 * there too, also about the probe's orders; so only events from the app under test count.
 */
export class Probe {
  private readonly seen = new Map<string, Seen[]>();

  private constructor(
    private readonly db: Awaited<ReturnType<typeof createTestDataSource>>,
    private readonly producer: string,
    private service?: RunningService,
  ) {}

  /** `from`: the Troupe service name (ce_source) of the app under test, i.e. its CONSUMER_GROUP. */
  static async start(options: {
    publishes: readonly EventClass[];
    records: readonly EventClass[];
    from: string;
  }): Promise<Probe> {
    const db = await createTestDataSource({ poolSize: 4 });
    const probe = new Probe(db, options.from);
    try {
      probe.service = await startService({
        service: uniqueName('it-probe'),
        dataSource: db,
        handlers: [recorder(options.records, uniqueName('it-probe'), (seen) => probe.record(seen))],
        troupe: {
          publishes: options.publishes,
          topics: { partitions: 6 },
          topicPrefix: RUN_TOPIC_PREFIX,
        },
      });
    } catch (error) {
      await db.drop();
      throw error;
    }
    return probe;
  }

  /** Publishes the events, each in its own transaction, in this order. */
  async send(...events: TroupeEvent[]): Promise<AddedEvent[]> {
    const added: AddedEvent[] = [];
    for (const event of events)
      added.push(await this.db.transaction((tx) => this.running.outbox.add(tx, event)));
    this.running.runtime.wakeRelay();
    return added;
  }

  /** Publishes an already published event again: the same message, same event id (a redelivery). */
  async redeliver(event: AddedEvent): Promise<void> {
    await this.db.query('UPDATE outbox SET published_at = NULL WHERE id = $1', [event.id]);
    this.running.runtime.wakeRelay();
  }

  /** Events of a type seen so far for an order. */
  events<E extends TroupeEvent>(type: EventClass<E>, orderId: string): E[] {
    return (this.seen.get(`${type.eventType}/${orderId}`) ?? []).map(
      (s) => s.event as unknown as E,
    );
  }

  /** Partitions the events of a type for these orders came from. */
  partitions(type: EventClass, orderIds: readonly string[]): Set<number> {
    return new Set(
      orderIds.flatMap((id) =>
        (this.seen.get(`${type.eventType}/${id}`) ?? []).map((s) => s.ctx.partition),
      ),
    );
  }

  /** Waits until at least `count` events of a type were seen for the order, and returns them. */
  async expect<E extends TroupeEvent>(
    type: EventClass<E>,
    orderId: string,
    count = 1,
  ): Promise<E[]> {
    return waitFor(`${count} × ${type.eventType} for ${orderId}`, () => {
      const found = this.events(type, orderId);
      return found.length >= count ? found : undefined;
    });
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    await this.db.drop();
  }

  private get running(): RunningService {
    if (!this.service) throw new Error('probe not started');
    return this.service;
  }

  private record(seen: Seen): void {
    if (seen.ctx.producer !== this.producer) return;
    const key = `${seen.ctx.eventType}/${seen.event.orderId}`;
    this.seen.set(key, [...(this.seen.get(key) ?? []), seen]);
  }
}

/** A provider with one @OnEvent method per type, all in `group`. */
function recorder(
  types: readonly EventClass[],
  group: string,
  sink: (seen: Seen) => void,
): Type<unknown> {
  class Recorder {}
  for (const type of types) {
    const method = `record${type.eventType.replace(/\W/g, '_')}`;
    Object.defineProperty(Recorder.prototype, method, {
      value: (event: TroupeEvent, ctx: EventContext) => sink({ event, ctx }),
      configurable: true,
    });
    OnEvent(type, { group })(
      Recorder.prototype,
      method,
      Object.getOwnPropertyDescriptor(Recorder.prototype, method)!,
    );
  }
  Injectable()(Recorder);
  return Recorder;
}
