import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import {
  TASK_EVENTS,
  TaskType,
  TasksModule,
  TaskWorkerOptions,
  workerGroupOf,
} from '@troupe/tasks';
import { testInfra, waitFor } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { TasksConfig } from '../../apps/tasks/src/tasks.config';
import { TasksAppModule } from '../../apps/tasks/src/tasks.module';
import { tasksDatabaseOptions } from '../../apps/tasks/src/persistence/tasks-database.options';
import { DomainApp, sandboxConfig, startDomainApp } from './domain-harness';

/** Helpers of the task suites: sandboxed tasks services in-process and as worker processes. */

export type TasksSandbox = Awaited<ReturnType<typeof sandboxConfig<TasksConfig>>>;

/** Settings of a sandboxed tasks service: its own schema, group and topic namespace. */
export function tasksSandbox(env: Record<string, string> = {}): Promise<TasksSandbox> {
  return sandboxConfig(TasksConfig, 'tasks', {
    REPORTS_DIR: path.join(os.tmpdir(), 'troupe-it-reports'),
    ...env,
  });
}

/** The real tasks app in-process; resolves once its consumers and its worker are in their groups. */
export async function startTasksApp(config: TasksConfig): Promise<DomainApp> {
  return ready(await startDomainApp(TasksAppModule.forRoot(config)));
}

/** A tasks service with the test's own task types and workers, in-process. */
export async function startCustomTasks(
  config: TasksConfig,
  types: readonly TaskType[],
  workers: Type<unknown>[],
  worker: TaskWorkerOptions | false = { concurrency: 4, pollIntervalMs: 200 },
): Promise<DomainApp> {
  @Module({})
  class CustomTasksModule {
    static forRoot(): DynamicModule {
      return {
        module: CustomTasksModule,
        imports: [
          TypeOrmModule.forRootAsync({ useFactory: () => tasksDatabaseOptions(config) }),
          TroupeModule.forRoot(
            config.troupeOptions(config.CONSUMER_GROUP, { publishes: [...TASK_EVENTS] }),
          ),
          TasksModule.forRoot({ types, worker }),
        ],
        providers: worker === false ? [] : workers,
      };
    }
  }
  return ready(await startDomainApp(CustomTasksModule.forRoot()));
}

async function ready(app: DomainApp): Promise<DomainApp> {
  await waitFor(
    'the task worker in its group',
    async () => (await request(app.http).get('/health/ready')).status === 200,
    60_000,
    200,
  );
  return app;
}

/** The tasks app as a worker-only process (TASKS_ROLE=worker), as a scaled-out replica runs. */
export async function spawnTasksWorker(
  config: TasksSandbox,
  env: Record<string, string> = {},
): Promise<ChildProcess & { output: () => string; port: number }> {
  const root = path.resolve(__dirname, '..', '..');
  const port = await freePort();
  const settings = Object.fromEntries(
    Object.entries(config).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
  );
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      path.join(root, 'apps/tasks/src/main.ts'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ...settings,
        TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
        TASKS_ROLE: 'worker',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const worker = Object.assign(child, { output: () => output, port });
  await waitFor(
    'the worker process ready',
    async () => {
      if (child.exitCode !== null)
        throw new Error(`worker exited ${child.exitCode}: ${output.slice(-2000)}`);
      return (
        (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status ===
        200
      );
    },
    90_000,
    250,
  );
  return worker;
}

/** Ends a child process and waits until it is gone. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await gone;
}

/** Removes what a sandboxed tasks service made on the broker: its topics and consumer groups. */
export async function deleteBrokerResources(config: TasksConfig): Promise<void> {
  const admin = new Kafka({
    clientId: 'it-tasks-cleanup',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const mine = new Set([
      `${config.TOPIC_PREFIX}tasks.task.events`,
      `${config.TOPIC_PREFIX}${config.CONSUMER_GROUP}.dlq`,
    ]);
    const topics = (await admin.listTopics()).filter((t) => mine.has(t));
    await admin.deleteGroups([workerGroupOf(config.CONSUMER_GROUP)]).catch(() => undefined);
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
