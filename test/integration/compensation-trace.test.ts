import { INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  EventContext,
  NonRetriableError,
  OnEvent,
  configureServiceHttp,
  loadConfig,
} from '@troupe/messaging';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { CliContext } from '../../apps/compensation/src/cli/verb';
import { outboxVerb } from '../../apps/compensation/src/cli/verbs/outbox.verb';
import { traceVerb } from '../../apps/compensation/src/cli/verbs/trace.verb';
import { CompensationConfig } from '../../apps/compensation/src/compensation.config';
import { CompensationModule } from '../../apps/compensation/src/compensation.module';
import type { OutboxOverviewView } from '../../apps/compensation/src/outbox/outbox-overview';
import type { FlowTrace } from '../../apps/compensation/src/trace/flow-trace';
import { serviceDatabaseUrl } from '../../infra/src/service-databases';
import { loadSettings } from '../../infra/src/settings';
import { RunningService, startService } from '../support/service-harness';

/** A port nothing listens on (taken from the OS, then let go). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Db = Awaited<ReturnType<typeof createTestDataSource>>;
type Crate = { crateId: string; n: number };
const schema = (name: string) => ({
  type: 'record' as const,
  name,
  namespace: 'troupe.it',
  fields: [
    { name: 'crateId', type: 'string' },
    { name: 'n', type: 'int' },
  ],
});

/**
 * `troupe trace` and `troupe outbox` through the compensation app (in-process, over HTTP) against
 * two services (their admin endpoints, real PostgreSQL and Kafka) and one that does not answer:
 * a flow across both services, one that stopped parked, one dead-lettered (found on the group's
 * dead-letter topic), an unknown id, and a quarantined outbox row released once its topic exists.
 */
describe('compensation: trace a flow, view the outboxes, release quarantined rows', () => {
  const TOKEN = `it-comp-${randomUUID()}`;
  const ordered = uniqueName('it.trace.ordered');
  const packed = uniqueName('it.trace.packed');
  const missing = uniqueName('it.trace.missing');
  const Ordered = defineTestEvent<Crate>(ordered, schema('CrateOrdered'), 'crateId');
  const Packed = defineTestEvent<Crate>(packed, schema('CratePacked'), 'crateId');
  const Lost = defineTestEvent<Crate>(missing, schema('CrateLost'), 'crateId');
  const packers = uniqueName('it-trace-packers');
  const senders = uniqueName('it-trace-senders');
  const kafka = new Kafka({
    clientId: 'it-comp-trace',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  /** Service b: packs ordered crates (publishing CratePacked in the flow); some crates cannot be packed. */
  @Injectable()
  class Packers {
    @OnEvent(Ordered, {
      group: packers,
      retry: { maxAttempts: 3, initialDelayMs: 300, multiplier: 1, maxDelayMs: 300 },
    })
    async pack(event: Crate, ctx: EventContext) {
      if (event.crateId.startsWith('stuck')) throw new Error(`crate ${event.crateId} is jammed`);
      if (event.crateId.startsWith('bad'))
        throw new NonRetriableError(`crate ${event.crateId} has no address`, {
          code: 'crate.no-address',
        });
      await ctx.publish(Packed.of({ crateId: event.crateId, n: event.n }));
    }
  }

  /** Service a: notes that its crate was packed. */
  @Injectable()
  class Senders {
    @OnEvent(Packed, { group: senders })
    async packed() {}
  }

  let dbA: Db;
  let dbB: Db;
  let a: RunningService;
  let b: RunningService;
  let compensation: INestApplication;
  let url: string;
  let closedPort: number;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [ordered, packed, `${senders}.dlq`, `${senders}.replay`].map((topic) => ({
        topic,
        numPartitions: 2,
      })),
    });
    [dbA, dbB] = await Promise.all([createTestDataSource(), createTestDataSource()]);
    closedPort = await freePort();
    const troupe = {
      adminToken: TOKEN,
      log: () => undefined,
      relay: { pollIntervalMs: 200, initialBackoffMs: 50, maxBackoffMs: 500 },
    };
    a = await startService({
      service: 'it-trace-a',
      dataSource: dbA,
      handlers: [Senders],
      http: true,
      troupe: { ...troupe, publishes: [Ordered, Lost], topics: { create: false } }, // `missing` stays missing
    });
    b = await startService({
      service: 'it-trace-b',
      dataSource: dbB,
      handlers: [Packers],
      http: true,
      troupe: {
        ...troupe,
        publishes: [Packed],
        topics: { partitions: 2 },
        consumer: { parkingPollIntervalMs: 100, inPlaceRetryMaxDelayMs: 100 },
      },
    });
    const config = loadConfig(CompensationConfig, {
      KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
      DATABASE_URL: serviceDatabaseUrl(loadSettings(), 'compensation'),
      ADMIN_TOKEN: TOKEN,
      // c never answers: the trace and the overview say so and go on.
      SERVICE_ADMIN_URLS: `it-trace-a=${a.url},it-trace-b=${b.url},it-trace-c=http://127.0.0.1:${closedPort}`,
      SERVICE_ADMIN_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'error',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [CompensationModule.forRoot(config)],
    }).compile();
    compensation = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    configureServiceHttp(compensation);
    await compensation.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(compensation.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await compensation?.close();
    await b?.stop();
    await a?.stop();
    await Promise.all([dbA?.drop(), dbB?.drop()]);
    await admin
      .deleteTopics({ topics: [ordered, packed, missing, `${senders}.dlq`, `${senders}.replay`] })
      .catch(() => undefined);
    await admin.disconnect();
  });

  /** Runs a verb as `troupe` would, capturing what it prints. */
  const run = async (
    verb: typeof traceVerb,
    args: string[],
    options: { json?: boolean; token?: string | null; url?: string } = {},
  ) => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      url: options.url ?? url,
      token: options.token === null ? undefined : (options.token ?? TOKEN),
      json: options.json ?? false,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    const code = await verb.run(args, ctx);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const order = async (crateId: string) => {
    const flow = randomUUID();
    const [added] = await dbA.transaction((tx) =>
      a.outbox.addAll(tx, [
        { event: Ordered.of({ crateId, n: 1 }), options: { correlationId: flow } },
      ]),
    );
    return { flow, orderedId: added.id };
  };
  const traceUntil = async (flow: string, what: string, done: (t: FlowTrace) => boolean) => {
    let last: FlowTrace | undefined;
    await waitFor(
      what,
      async () => {
        const r = await run(traceVerb, [flow], { json: true });
        last = r.code === 0 ? (JSON.parse(r.out) as FlowTrace) : undefined;
        return last !== undefined && done(last);
      },
      60_000,
    ).catch((error) => {
      throw new Error(`${error.message}; last trace: ${JSON.stringify(last)}`);
    });
    return last!;
  };

  it('refuses the trace and outbox API without the token (401 problem+json); the CLI says how to pass it', async () => {
    for (const [method, path] of [
      ['GET', `/trace/${randomUUID()}`],
      ['GET', '/outbox'],
      ['POST', '/outbox/it-trace-a/release'],
    ]) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{"all":true}' : undefined,
      });
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual(
        {
          path,
          status: 401,
          type: expect.stringContaining('application/problem+json'),
        },
      );
    }
    const cli = await run(traceVerb, [randomUUID()], { token: null });
    expect(cli.code).toBe(1);
    expect(cli.err).toContain('401');
    expect(cli.err).toContain('--token');
    expect(cli.out).toBe('');
  });

  it('traces a flow across two services: who published what, which groups handled it and when; the silent service is reported', async () => {
    const { flow, orderedId } = await order('fine-1');
    const trace = await traceUntil(
      flow,
      'both events handled',
      (t) =>
        t.events.length === 2 &&
        t.events.every((e) => e.deliveries.every((d) => d.state === 'handled')),
    );
    expect(trace.status).toBe('partial');
    expect(trace.services).toEqual({
      answered: ['it-trace-a', 'it-trace-b'],
      unreachable: [{ service: 'it-trace-c', problem: expect.stringContaining('did not answer') }],
    });
    const [first, second] = trace.events;
    expect(first).toMatchObject({
      eventId: orderedId,
      eventType: Ordered.eventType,
      service: 'it-trace-a',
      causationId: null,
      state: 'published',
    });
    expect(first.deliveries).toEqual([
      { service: 'it-trace-b', groupId: packers, state: 'handled', at: expect.any(String) },
    ]);
    expect(second).toMatchObject({
      eventType: Packed.eventType,
      service: 'it-trace-b',
      causationId: orderedId,
      state: 'published',
    });
    expect(second.deliveries).toEqual([
      { service: 'it-trace-a', groupId: senders, state: 'handled', at: expect.any(String) },
    ]);
    expect(trace.steps.map((s) => `${s.service} ${s.kind} ${s.eventType}`)).toEqual([
      `it-trace-a written ${Ordered.eventType}`,
      `it-trace-a published ${Ordered.eventType}`,
      `it-trace-b handled ${Ordered.eventType}`,
      `it-trace-b written ${Packed.eventType}`,
      `it-trace-b published ${Packed.eventType}`,
      `it-trace-a handled ${Packed.eventType}`,
    ]);
    expect(
      trace.steps.every((s, i) => i === 0 || s.sinceStartMs >= trace.steps[i - 1].sinceStartMs),
    ).toBe(true);
    expect(trace.stops).toEqual([]);

    const text = await run(traceVerb, [flow]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`flow ${flow}: PARTIAL, 2 event(s) from 2 service(s)`);
    expect(text.out).toMatch(/it-trace-b\s+handled CrateOrdered/);
    expect(text.out).toMatch(/it-trace-b\s+wrote CratePacked .*after CrateOrdered/);
    expect(text.out).toContain('unreachable: it-trace-c');
    expect(text.out).not.toContain(TOKEN);

    // Found by its key instead: one flow is traced, several are listed, none is exit code 1.
    const byKey = await run(traceVerb, ['--key', 'fine-1'], { json: true });
    expect(byKey.code).toBe(0);
    expect((JSON.parse(byKey.out) as FlowTrace).correlationId).toBe(flow);
    const again = await order('fine-1');
    const several = await run(traceVerb, ['--key', 'fine-1']);
    expect(several.code).toBe(0);
    expect(several.out).toContain('key fine-1 is in 2 flows (newest first)');
    expect(several.out.indexOf(again.flow)).toBeLessThan(several.out.indexOf(flow));
    const none = await run(traceVerb, ['--key', 'no-such-crate']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no flow has events of key no-such-crate');
  });

  it('shows where a flow stopped: parked with its last error, or dead-lettered (from the dead-letter topic)', async () => {
    const stuck = await order('stuck-1');
    const parked = await traceUntil(stuck.flow, 'the order parked', (t) =>
      t.stops.some((s) => s.kind === 'parked'),
    );
    expect(parked.status).toBe('stopped');
    expect(parked.stops).toEqual([
      expect.objectContaining({
        kind: 'parked',
        service: 'it-trace-b',
        groupId: packers,
        eventId: stuck.orderedId,
        detail: expect.stringContaining('crate stuck-1 is jammed'),
      }),
    ]);
    const parkedText = (await run(traceVerb, [stuck.flow])).out;
    process.stderr.write(`troupe trace ${stuck.flow}\n${parkedText}\n`);
    expect(parkedText).toMatch(/PARKED {2}it-trace-b\/.* crate stuck-1 is jammed/);

    const bad = await order('bad-1');
    const dead = await traceUntil(bad.flow, 'the order dead-lettered', (t) =>
      t.stops.some((s) => s.kind === 'dead-lettered'),
    );
    expect(dead.status).toBe('stopped');
    expect(dead.events[0].deliveries).toEqual([
      expect.objectContaining({
        groupId: packers,
        state: 'dead-lettered',
        attempts: 1,
        error: expect.stringContaining('crate.no-address'),
      }),
    ]);
    expect(dead.deadLetters.scanned).toContain(`${packers}.dlq`);
    expect(dead.steps.map((s) => s.kind)).toEqual(['written', 'published', 'dead-lettered']);
    const deadText = (await run(traceVerb, [bad.flow])).out;
    process.stderr.write(`troupe trace ${bad.flow}\n${deadText}\n`);
    expect(deadText).toMatch(/DEAD-LETTERED {2}it-trace-b\/.*crate.no-address/);
  });

  it('answers an unknown correlation id with exit code 1 and a clear message; bad usage is 2; an app that does not answer is 3', async () => {
    const unknown = await run(traceVerb, [randomUUID()]);
    expect(unknown).toMatchObject({ code: 1, out: '' });
    expect(unknown.err).toMatch(
      /404: no flow with correlation id [0-9a-f-]+: no outbox, parking lot or dead-letter topic has it/,
    );
    expect(unknown.err).toContain('it-trace-c');
    expect((await run(traceVerb, [])).code).toBe(2);
    expect((await run(traceVerb, ['a', 'b'])).code).toBe(2);
    expect((await run(traceVerb, ['no spaces'])).code).toBe(2);
    const down = await run(traceVerb, [randomUUID()], { url: `http://127.0.0.1:${closedPort}` });
    expect(down.code).toBe(3);
    expect(down.err).toContain('cannot reach the compensation app');
  });

  it('shows every outbox with its quarantined rows and reasons, and releases a selection once the cause is fixed', async () => {
    const [lost] = await dbA.transaction((tx) =>
      a.outbox.addAll(tx, [{ event: Lost.of({ crateId: 'lost-1', n: 1 }) }]),
    );
    let view: OutboxOverviewView | undefined;
    await waitFor(
      'the row quarantined',
      async () => {
        view = JSON.parse((await run(outboxVerb, [], { json: true })).out) as OutboxOverviewView;
        return view.totals.quarantined === 1;
      },
      60_000,
    );
    expect(view!.services).toEqual([
      expect.objectContaining({
        service: 'it-trace-a',
        reachable: true,
        quarantined: 1,
        quarantinedRows: [
          expect.objectContaining({
            eventId: lost.id,
            topic: missing,
            key: 'lost-1',
            reason: expect.stringContaining('UNKNOWN_TOPIC_OR_PARTITION'),
          }),
        ],
      }),
      expect.objectContaining({ service: 'it-trace-b', reachable: true, quarantined: 0 }),
      {
        service: 'it-trace-c',
        reachable: false,
        problem: expect.stringContaining('did not answer'),
      },
    ]);
    const text = await run(outboxVerb, []);
    process.stderr.write(`troupe outbox\n${text.out}\n`);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/it-trace-a\s+0\s+-\s+1/);
    expect(text.out).toMatch(/it-trace-c\s+\?\s+\?\s+\?\s+unreachable/);
    expect(text.out).toContain(`${lost.id}  ${Lost.eventType}  ${missing} key lost-1`);
    expect(text.out).toContain('UNKNOWN_TOPIC_OR_PARTITION');

    expect((await run(outboxVerb, ['release', 'it-trace-a'])).code).toBe(2); // no selection
    expect((await run(outboxVerb, ['release', 'it-trace-a', '--ids', 'nope'])).code).toBe(2);
    const unknownService = await run(outboxVerb, ['release', 'nobody', '--all']);
    expect(unknownService.code).toBe(1);
    expect(unknownService.err).toContain(
      'no service named nobody (services: it-trace-a, it-trace-b, it-trace-c)',
    );
    expect((await run(outboxVerb, ['release', 'it-trace-c', '--all'])).code).toBe(3);

    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: missing, numPartitions: 1 }],
    });
    const released = await run(outboxVerb, ['release', 'it-trace-a', '--ids', lost.id]);
    process.stderr.write(`troupe outbox release it-trace-a --ids ${lost.id}\n${released.out}\n`);
    expect(released).toMatchObject({ code: 0, err: '' });
    expect(released.out).toContain('it-trace-a: released 1 quarantined row(s)');
    await waitFor(
      'the released row published',
      async () =>
        (await dbA.query('SELECT published_at FROM outbox WHERE id = $1', [lost.id]))[0]
          .published_at !== null,
      30_000,
    );
    expect(
      JSON.parse((await run(outboxVerb, ['--service', 'it-trace-a'], { json: true })).out),
    ).toEqual({
      services: [
        expect.objectContaining({ service: 'it-trace-a', quarantined: 0, quarantinedRows: [] }),
      ],
    });
  });
});
