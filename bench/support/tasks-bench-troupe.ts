import { Injectable, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ProblemDetailsFilter,
  TroupeModule,
  loadConfig,
  troupeValidationPipe,
} from '@troupe/messaging';
import { TroupeMetrics } from '@troupe/observability';
import {
  TASK_EVENTS,
  TASK_METRIC,
  TaskContext,
  TaskHandler,
  TaskService,
  TaskWorker,
  TasksModule,
  defineTask,
  workerGroupOf,
} from '@troupe/tasks';
import { testInfra, uniqueName } from '@troupe/testing';
import { IsInt, Min } from 'class-validator';
import { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { TaskEventsController } from '../../apps/tasks/src/api/task-events.controller';
import { TasksController } from '../../apps/tasks/src/api/tasks.controller';
import { tasksDatabaseOptions } from '../../apps/tasks/src/persistence/tasks-database.options';
import { TasksConfig } from '../../apps/tasks/src/tasks.config';
import { deleteTopics, quietLog } from './bench-infra';

/** Payload of the bench's task types. */
export class BenchPayload {
  @IsInt()
  @Min(0)
  n!: number;
}

export const noopTask = defineTask({ name: 'noop', payload: BenchPayload });
export const sleepTask = defineTask({ name: 'sleep1', payload: BenchPayload });

/** When each task's handler started (performance.now()), for submit → start latency. */
export const troupeStarts = new Map<string, number>();

@Injectable()
@TaskWorker(noopTask)
class NoopWorker implements TaskHandler<BenchPayload> {
  async run(_p: BenchPayload, ctx: TaskContext) {
    if (troupeStarts.size < 100_000) troupeStarts.set(ctx.taskId, performance.now());
    return null;
  }
}

@Injectable()
@TaskWorker(sleepTask)
class SleepWorker implements TaskHandler<BenchPayload> {
  async run() {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return null;
  }
}

/**
 * The Troupe side: a fresh schema and topic namespace; a web app (TaskService, the real HTTP
 * controllers, no worker) that stays up, and worker apps started per run, all in this process.
 */
export class TroupeTasksBench {
  private apps: INestApplication[] = [];
  readonly web: INestApplication;
  readonly url: string;

  private constructor(
    readonly config: TasksConfig,
    web: INestApplication,
    url: string,
  ) {
    this.web = web;
    this.url = url;
  }

  static async start(): Promise<TroupeTasksBench> {
    const run = uniqueName('benchtasks').replace(/-/g, '_');
    const config = loadConfig(TasksConfig, {
      DATABASE_URL: testInfra.databaseUrl(),
      DATABASE_SCHEMA: run,
      CONSUMER_GROUP: run,
      KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
      TOPIC_PREFIX: `${run}.`,
      DATABASE_POOL_SIZE: '10',
      LOG_LEVEL: 'warn',
    });
    await admin(`CREATE SCHEMA "${run}"`);
    const web = await TroupeTasksBench.app(config, false, true);
    await web.listen(0, '127.0.0.1');
    return new TroupeTasksBench(config, web, await web.getUrl());
  }

  get tasks(): TaskService {
    return this.web.get(TaskService);
  }

  /** Starts a worker replica (in this process) with this concurrency. */
  async worker(concurrency: number): Promise<INestApplication> {
    const app = await TroupeTasksBench.app(
      this.config,
      { concurrency, pollIntervalMs: 500 },
      false,
    );
    this.apps.push(app);
    return app;
  }

  /** Tasks the worker app finished (troupe_tasks_finished_total). */
  async finished(worker: INestApplication): Promise<number> {
    const metric = await worker
      .get(TroupeMetrics)
      .registry.getSingleMetric(TASK_METRIC.finished)
      ?.get();
    return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  }

  async stopWorker(worker: INestApplication): Promise<void> {
    await worker.close();
    this.apps = this.apps.filter((a) => a !== worker);
  }

  /** Deletes the stored tasks between runs (a fresh queue), keeping the schema. */
  async truncate(): Promise<void> {
    await admin(
      `TRUNCATE "${this.config.DATABASE_SCHEMA}".tasks, "${this.config.DATABASE_SCHEMA}".outbox`,
    );
  }

  /** How long a PostgreSQL round trip and a durable commit take right now (p50 ms). */
  async probeRoundTrips(): Promise<string> {
    const client = new Client({ connectionString: testInfra.databaseUrl() });
    await client.connect();
    try {
      const p50 = async (sql: string) => {
        const times: number[] = [];
        for (let i = 0; i < 300; i++) {
          const t = performance.now();
          await client.query(sql);
          times.push(performance.now() - t);
        }
        return times.sort((a, b) => a - b)[150].toFixed(2);
      };
      const select = await p50('SELECT 1');
      const commit = await p50(
        `INSERT INTO "${this.config.DATABASE_SCHEMA}".task_rate_limits (name, tokens) VALUES (gen_random_uuid()::text, 0)`,
      );
      return `postgres SELECT 1 ${select} ms, durable INSERT commit ${commit} ms`;
    } finally {
      await client.end();
    }
  }

  async tableSizeMb(): Promise<number> {
    const client = new Client({ connectionString: testInfra.databaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT pg_total_relation_size('"${this.config.DATABASE_SCHEMA}".tasks') AS b`,
      );
      return Number(rows[0].b) / 2 ** 20;
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    await this.web.close();
    await deleteTopics(
      [`${this.config.TOPIC_PREFIX}tasks.task.events`],
      [workerGroupOf(this.config.CONSUMER_GROUP)],
    );
    await admin(`DROP SCHEMA IF EXISTS "${this.config.DATABASE_SCHEMA}" CASCADE`);
  }

  private static async app(
    config: TasksConfig,
    worker: false | { concurrency: number; prefetch?: number; pollIntervalMs: number },
    http: boolean,
  ): Promise<INestApplication> {
    @Module({
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => tasksDatabaseOptions(config) }),
        TroupeModule.forRoot(
          config.troupeOptions(config.CONSUMER_GROUP, {
            publishes: [...TASK_EVENTS],
            log: quietLog,
            relay: http ? {} : false,
          }),
        ),
        TasksModule.forRoot({ types: [noopTask, sleepTask], worker }),
      ],
      controllers: http ? [TasksController, TaskEventsController] : [],
      providers: worker ? [NoopWorker, SleepWorker] : [],
    })
    class BenchTasksApp {}
    const app = await NestFactory.create(BenchTasksApp, { logger: ['error', 'warn'] });
    app.useGlobalPipes(troupeValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
    return app;
  }
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
