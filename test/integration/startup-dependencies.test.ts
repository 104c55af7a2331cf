import { DependencyRefusedError, TroupeRuntime } from '@troupe/messaging';
import { AvroCodec } from '@troupe/schemas';
import { defineTestEvent, testInfra, uniqueName, waitFor } from '@troupe/testing';
import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { LocalInfra } from '../../infra/src/local-infra';
import { spawnTs } from '../support/child-process';
import { TcpProxy, freePort } from '../support/tcp-proxy';

/**
 * Start-up while a dependency is missing, with the real orders app as its own process (as
 * `npm start` runs it): PostgreSQL refusing connections (the app points at a port where nothing
 * listens, then a TCP proxy to the real server appears there: pg's own connect failure path),
 * the registry stopped, Kafka stopped (this run's own infrastructure, stopped and started
 * again). Each time the app must log what it waits for, answer /health/live, say 503 on
 * /health/ready and on its API, and become ready once the dependency is back, without a restart.
 * A dependency that refuses for good must stop start-up with exit code 1, naming it.
 */
describe('start-up with a dependency missing', () => {
  const schema = `it_startup_${uniqueName('').slice(1)}`;
  const infra = new LocalInfra(undefined, () => undefined);
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await admin(`CREATE SCHEMA "${schema}"`);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    if (!(await infra.kafka.healthy())) await infra.kafka.up();
    if (!(await infra.registry.healthy())) await infra.registry.up();
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('waits for PostgreSQL that refuses connections, not ready meanwhile, and gets ready once it answers', async () => {
    const dbPort = await freePort();
    const orders = await startOrders({ DATABASE_URL: databaseUrl({ port: dbPort }) });
    let proxy: TcpProxy | undefined;
    try {
      const address = `127.0.0.1:${dbPort}/${database()}`;
      await orders.waitForLog(
        new RegExp(`waiting for PostgreSQL at ${escape(address)}: .*ECONNREFUSED.*\\(attempt 1,`),
      );
      await orders.expectWaiting(`waiting for PostgreSQL at ${address}`);

      proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 }, dbPort);
      await orders.expectReadyWithoutRestart();
      await orders.waitForLog(
        new RegExp(`PostgreSQL at ${escape(address)} answers after \\d+ attempts`),
      );
      expect((await orders.placeOrder()).status).toBe(201);
    } finally {
      await orders.stop();
      await proxy?.close();
    }
  });

  // Their scheduler, task worker and lag exporter use the database and Kafka: they start after
  // TroupeModule's start-up (TroupeRuntime.afterStart), never beside a start-up still waiting.
  it.each(['scheduler', 'tasks', 'compensation'])(
    'the %s app waits for PostgreSQL too, and starts its own work once it answers',
    async (app) => {
      const dbPort = await freePort();
      await admin(`CREATE SCHEMA "${schema}_${app}"`);
      const child = await startApp(`apps/${app}/src/main.ts`, {
        DATABASE_URL: databaseUrl({ port: dbPort }),
        DATABASE_SCHEMA: `${schema}_${app}`,
      });
      let proxy: TcpProxy | undefined;
      try {
        await child.waitForLog(/waiting for PostgreSQL at .*\(attempt 2,/);
        expect(child.exitCode()).toBeNull();
        proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 }, dbPort);
        await child.expectReadyWithoutRestart();
      } finally {
        await child.stop();
        await proxy?.close();
        await admin(`DROP SCHEMA IF EXISTS "${schema}_${app}" CASCADE`);
      }
    },
    180_000,
  );

  it('waits for the schema registry while it is stopped, and gets ready once it is back', async () => {
    await infra.registry.down();
    const orders = await startOrders();
    try {
      const address = testInfra.schemaRegistryUrl();
      await orders.waitForLog(
        new RegExp(`waiting for the schema registry at ${escape(address)}: `),
      );
      await orders.expectWaiting(`waiting for the schema registry at ${address}`);
      await infra.registry.up();
      await orders.expectReadyWithoutRestart();
      expect((await orders.placeOrder()).status).toBe(201);
    } finally {
      await orders.stop();
      if (!(await infra.registry.healthy())) await infra.registry.up();
    }
  });

  it('waits for Kafka while it is stopped, and gets ready once it is back', async () => {
    await infra.kafka.down();
    const orders = await startOrders();
    try {
      const address = testInfra.kafkaBrokers().join(',');
      await orders.waitForLog(new RegExp(`waiting for Kafka at ${escape(address)}: `));
      await orders.expectWaiting(`waiting for Kafka at ${address}`);
      await infra.kafka.up();
      await orders.expectReadyWithoutRestart();
    } finally {
      await orders.stop();
      if (!(await infra.kafka.healthy())) await infra.kafka.up();
    }
  });

  // The patterns match the JSON log line, where quotes are escaped.
  it.each([
    [
      'a database that does not exist',
      { DATABASE_URL: databaseUrl({ database: 'no_such_database_here' }) },
      /PostgreSQL at 127\.0\.0\.1:5432\/no_such_database_here refused: database \\"no_such_database_here\\" does not exist/,
    ],
    [
      'a registry URL that is not a registry',
      { SCHEMA_REGISTRY_URL: `${testInfra.schemaRegistryUrl()}/not-a-registry` },
      /the schema registry at \S+\/not-a-registry refused: schema registry refused: registering troupe\.orders\.\w+: 404/,
    ],
    ['a bad setting', { DATABASE_POOL_SIZE: 'many' }, /DATABASE_POOL_SIZE: .*\(got \\"many\\"\)/],
  ])('stops start-up with exit code 1 naming it, for %s', async (_what, env, message) => {
    const orders = await startOrders(env);
    const code = await orders.exited(90_000);
    expect({ code, named: message.test(orders.output()) }).toEqual({ code: 1, named: true });
    expect(orders.output()).not.toMatch(/waiting for/);
  });

  it('stops start-up at once when the registry rejects a schema as incompatible', async () => {
    const topic = uniqueName('it.startup.events');
    const fields = (type: string) => [
      { name: 'id', type: 'string' },
      { name: 'n', type },
    ];
    const V1 = defineTestEvent(topic, {
      type: 'record',
      name: 'Started',
      namespace: 'it.startup',
      fields: fields('int'),
    });
    const V2 = defineTestEvent(topic, {
      type: 'record',
      name: 'Started',
      namespace: 'it.startup',
      fields: fields('string'),
    });
    await new AvroCodec({ registryUrl: testInfra.schemaRegistryUrl() }).schemaId(V1);
    const runtime = new TroupeRuntime({
      service: uniqueName('it-startup'),
      kafka: { brokers: testInfra.kafkaBrokers() },
      schemaRegistry: { url: testInfra.schemaRegistryUrl() },
      publishes: [V2],
      log: () => undefined,
    });
    try {
      const error = await runtime.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyRefusedError);
      expect((error as Error).message).toMatch(
        /^the schema registry at \S+ refused: schema registry refused: registering it\.startup\.Started: 409/,
      );
      expect(runtime.startup.waitingFor).toBeUndefined();
    } finally {
      await runtime.stop();
    }
  });

  /** The orders app as a process of its own, in this file's schema, group and topic prefix. */
  function startOrders(env: Record<string, string> = {}) {
    return startApp('apps/orders/src/main.ts', env);
  }

  async function startApp(main: string, env: Record<string, string> = {}) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnTs(main, [], {
      PORT: String(port),
      DATABASE_URL: databaseUrl(),
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '3',
      CONSUMER_GROUP: uniqueName('it-startup'),
      TOPIC_PREFIX: `${uniqueName('it')}.`,
      KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
      LOG_LEVEL: 'info',
      ...env,
    });
    children.push(child);
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const get = (path: string) =>
      fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) }).then(async (r) => ({
        status: r.status,
        headers: r.headers,
        body: await r.text(),
      }));
    const placeOrder = () =>
      fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: 'c-startup',
          items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 1 }],
        }),
        signal: AbortSignal.timeout(10_000),
      }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }));
    const handle = {
      output: () => child.output(),
      exitCode: () => child.exitCode,
      placeOrder,
      exited: (timeoutMs: number) =>
        Promise.race([
          exit,
          new Promise<'still running'>((resolve) =>
            setTimeout(() => resolve('still running'), timeoutMs),
          ),
        ]),
      async waitForLog(pattern: RegExp) {
        await waitFor(
          `the log line ${pattern}\n${child.output().slice(-2000)}`,
          () => pattern.test(child.output()),
          90_000,
        );
      },
      /** Alive, not ready, saying what it waits for; the API answers 503 with Retry-After. */
      async expectWaiting(message: string) {
        await waitFor(
          '/health/live to answer',
          async () => (await get('/health/live').catch(() => undefined))?.status === 200,
          60_000,
        );
        const ready = await get('/health/ready');
        expect(ready.status).toBe(503);
        expect(JSON.parse(ready.body).error.startup).toMatchObject({
          status: 'down',
          message,
          attempts: expect.any(Number),
        });
        const refused = await placeOrder();
        expect({
          status: refused.status,
          type: refused.headers.get('content-type'),
          retryAfter: refused.headers.get('retry-after'),
        }).toEqual({
          status: 503,
          type: expect.stringContaining('application/problem+json'),
          retryAfter: '1',
        });
        expect(JSON.parse(refused.body).detail).toContain(message);
        expect(child.exitCode).toBeNull();
      },
      async expectReadyWithoutRestart() {
        const pid = child.pid;
        await waitFor(
          `/health/ready to answer 200\n${child.output().slice(-2000)}`,
          async () => (await get('/health/ready').catch(() => undefined))?.status === 200,
          120_000,
          500,
        );
        expect({ pid: child.pid, exitCode: child.exitCode }).toEqual({ pid, exitCode: null });
      },
      async stop() {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await handle.exited(30_000);
      },
    };
    return handle;
  }
});

function database(): string {
  return new URL(testInfra.databaseUrl()).pathname.slice(1);
}

function databaseUrl(change: { port?: number; database?: string } = {}): string {
  const url = new URL(testInfra.databaseUrl());
  if (change.port) url.port = String(change.port);
  if (change.database) url.pathname = `/${change.database}`;
  return url.toString();
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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
