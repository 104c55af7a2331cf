import { Injectable, Type } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import { createTestDataSource, defineTestEvent, testInfra, uniqueName, waitFor } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ChildProcess, execFile } from 'node:child_process';
import * as path from 'node:path';
import { spawnTs } from './child-process';
import { RunningService, startService } from './service-harness';

export type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/** The admin token of every app in these tests (services and the compensation app). */
export const ADMIN = 'it-admin-token-0123456789';

/** A tick event on a fresh topic, keyed by tickId. */
export function tickEvent(topic: string) {
  return defineTestEvent<{ tickId: string; n: number }>(
    topic,
    {
      type: 'record',
      name: 'Ticked',
      namespace: 'troupe.it',
      fields: [
        { name: 'tickId', type: 'string' },
        { name: 'n', type: 'int' },
      ],
    },
    'tickId',
  );
}
export type TickEvent = ReturnType<typeof tickEvent>;

/**
 * A consuming service whose handler writes one effects row per event in the handler's
 * transaction: value = n × factor (a "bug" is a factor other than 1), applications counts how
 * often the row was written. Serves HTTP (its /troupe/admin routes) with ADMIN.
 */
export async function startEffectsService(options: {
  Tick: TickEvent;
  group: string;
  db: Db;
  reapplicable: boolean;
  factor: { value: number };
  /** Throws for some events (a bug, a poison event): they are dead-lettered. */
  fail?: (tickId: string) => Error | undefined;
  /** Listen here (a restarted service keeps its URL). Default: a free port. */
  port?: number;
}): Promise<RunningService> {
  const { Tick, group, reapplicable, factor, fail } = options;
  await options.db.query(
    'CREATE TABLE IF NOT EXISTS effects (event_id uuid PRIMARY KEY, n int NOT NULL, value int NOT NULL, applications int NOT NULL)',
  );
  @Injectable()
  class Effects {
    @OnEvent(Tick, { group, reapplicable })
    async tick(event: InstanceType<TickEvent> & { n: number; tickId: string }, ctx: EventContext) {
      const failure = fail?.(event.tickId);
      if (failure) throw failure;
      await ctx.tx.query(
        `INSERT INTO effects (event_id, n, value, applications) VALUES ($1, $2, $3, 1)
         ON CONFLICT (event_id) DO UPDATE SET value = EXCLUDED.value, applications = effects.applications + 1`,
        [ctx.eventId, event.n, event.n * factor.value],
      );
    }
  }
  return startService({
    service: group,
    dataSource: options.db,
    handlers: [Effects as Type<unknown>],
    http: options.port ?? true,
    troupe: { relay: false, topics: { partitions: 2 }, adminToken: ADMIN, consumer: { parkingPollIntervalMs: 200 } },
  });
}

export async function effects(db: Db): Promise<Array<{ event_id: string; n: number; value: number; applications: number }>> {
  return db.query('SELECT event_id, n, value, applications FROM effects ORDER BY n');
}

/** Moves a stopped group's offsets of `topic` to the end: it will never see what is there now. */
export async function skipToEnd(group: string, topic: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'it-skip', brokers: testInfra.kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // resetOffsets(latest) commits -1, which a group starting from the beginning reads as "none".
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: group, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  } finally {
    await admin.disconnect();
  }
}

/** The compensation app in its own process (so a test can kill it), on its own schema. */
export class CompensationProcess {
  private child?: ChildProcess & { output: () => string };
  readonly url: string;

  constructor(private readonly env: Record<string, string>) {
    this.url = `http://127.0.0.1:${env.PORT}`;
  }

  static async create(
    groups: Record<string, string>,
    extra: Record<string, string> = {},
    existing?: Db,
  ): Promise<{ app: CompensationProcess; db: Db }> {
    const db = existing ?? (await createTestDataSource({ poolSize: 2 }));
    const port = Number(process.env.TROUPE_APP_PORT_BASE ?? 3000) + 40 + Math.floor(Math.random() * 50);
    const app = new CompensationProcess({
      PORT: String(port),
      KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
      DATABASE_URL: testInfra.databaseUrl(),
      DATABASE_SCHEMA: String((db.options as { schema?: string }).schema),
      ADMIN_TOKEN: ADMIN,
      ADMIN_TOKEN_NAME: 'it-operator',
      GROUP_ADMIN_URLS: Object.entries(groups)
        .map(([g, u]) => `${g}=${u}`)
        .join(','),
      LAG_POLL_INTERVAL_MS: '600000',
      TROUPE_INSTANCE_ID: uniqueName('it-comp'),
      LOG_LEVEL: 'error',
      ...extra,
    });
    await app.start();
    return { app, db };
  }

  async start(): Promise<void> {
    this.child = spawnTs('apps/compensation/src/main.ts', [], this.env);
    await waitFor(
      `the compensation app at ${this.url} (${this.child.output().slice(-500)})`,
      async () => (await fetch(`${this.url}/health/ready`).catch(() => undefined))?.status === 200,
      90_000,
      250,
    );
  }

  kill(): Promise<void> {
    const child = this.child!;
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = ADMIN): Promise<{ status: number; type: string | null; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: (text ? JSON.parse(text) : null) as T };
  }

  /** Waits for a job to end; returns it. */
  async finished(id: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
    return waitFor(
      `job ${id} to end`,
      async () => {
        const { body } = await this.call('GET', `/replays/${id}`);
        return body.status !== 'running' ? body : undefined;
      },
      timeoutMs,
      250,
    );
  }
}

/** Runs `troupe` (bin/troupe.js) against a compensation app; resolves with its exit code and output. */
export function troupe(
  url: string,
  args: string[],
  token: string | null = ADMIN,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'troupe.js');
  const env: NodeJS.ProcessEnv = { ...process.env, TROUPE_COMPENSATION_URL: url };
  if (token) env.TROUPE_ADMIN_TOKEN = token;
  else delete env.TROUPE_ADMIN_TOKEN;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Deletes the oldest records of a partition (as retention would): its log now starts at `offset`. */
export async function deleteRecordsBefore(topic: string, partition: number, offset: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'it-retention', brokers: testInfra.kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.fetchTopicMetadata({ topics: [topic] }); // deleteTopicRecords needs it loaded
    await admin.deleteTopicRecords({ topic, partitions: [{ partition, offset }] });
  } finally {
    await admin.disconnect();
  }
}
