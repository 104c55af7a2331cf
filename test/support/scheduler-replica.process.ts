/**
 * One scheduler replica in a process of its own, for the tests that run several, stop them or
 * kill them: `scheduler-replica.process.ts <scenario>`, with SCHED_SCHEMA (the test's schema,
 * tables already there), SCHED_REPLICA (its replica id), SCHED_GRACE_MS (misfire grace) and,
 * for the tasks scenario, SCHED_TOPIC (where the effect events go) and SCHED_ENQUEUE (a JSON
 * list of tasks it creates once started, printing "enqueued <id>" for each). Prints "started" once
 * scheduling, "task-started <id> <attempt>" when an attempt of a task begins, "succeed-refused <id>
 * <attempt>" when its commit was refused (the attempt had lost the task), and "stopped"
 * after a graceful stop on SIGTERM (then exits 0).
 *
 * Scenarios: `exactly-once` (one job every second that records each run), `misfire` (three jobs
 * every 2 s, one per misfire policy), `tasks` (a task type that always fails, and one whose
 * effect is an event published through the outbox with the task's success).
 */
import 'reflect-metadata';
import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OutboxWriter, TroupeModule } from '@troupe/messaging';
import { TROUPE_ENTITIES } from '@troupe/messaging';
import {
  JobContext,
  JobHandler,
  NewTask,
  ScheduledJob,
  SchedulingModule,
  TaskContext,
  TaskHandler,
  TaskQueue,
  TaskRecord,
  TaskRunner,
} from '@troupe/scheduling';
import { testInfra } from '@troupe/testing';
import { DataSource } from 'typeorm';
import { effectEvent } from './scheduler-effect-event';

const scenario = process.argv[2];
const schema = required('SCHED_SCHEMA');
const replica = required('SCHED_REPLICA');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Every run of a job leaves one row: which firing, which replica. */
@Injectable()
abstract class RecordingJob implements JobHandler {
  constructor(private readonly dataSource: DataSource) {}

  async run(ctx: JobContext): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO job_effects (job, scheduled_at, trigger, replica) VALUES ($1, $2, $3, $4)',
      [ctx.job, ctx.scheduledAt, ctx.trigger, replica],
    );
  }
}

@ScheduledJob({
  name: 'every-second',
  cron: '* * * * * *',
  timeoutMs: 5000,
  misfire: { policy: 'backfill', limit: 100 },
})
class EverySecondJob extends RecordingJob {}

const EVERY_2S = '*/2 * * * * *';

@ScheduledJob({ name: 'skip-job', cron: EVERY_2S, misfire: { policy: 'skip' } })
class SkipJob extends RecordingJob {}

@ScheduledJob({ name: 'once-job', cron: EVERY_2S, misfire: { policy: 'fire-once' } })
class FireOnceJob extends RecordingJob {}

@ScheduledJob({ name: 'backfill-job', cron: EVERY_2S, misfire: { policy: 'backfill', limit: 2 } })
class BackfillJob extends RecordingJob {}

@TaskHandler({
  type: 'always-fails',
  maxAttempts: 4,
  backoff: { initialDelayMs: 400, multiplier: 2, maxDelayMs: 5000 },
})
class AlwaysFailsTask implements TaskRunner {
  async run(_task: TaskRecord, ctx: TaskContext): Promise<unknown> {
    throw new Error(`boom on attempt ${ctx.attempt}`);
  }
}

const topic = process.env.SCHED_TOPIC ?? 'unused.effect.events';
const EffectDone = effectEvent(topic);

@TaskHandler({ type: 'effect-once', maxAttempts: 3, leaseMs: 3000, timeoutMs: 120_000 })
class EffectOnceTask implements TaskRunner<{ hangFirstAttempt: boolean }> {
  constructor(private readonly outbox: OutboxWriter) {}

  async run(task: TaskRecord<{ hangFirstAttempt: boolean }>, ctx: TaskContext): Promise<unknown> {
    process.stdout.write(`task-started ${task.id} ${ctx.attempt}\n`);
    // The first attempt stalls until this process is killed (or stopped and resumed).
    if (task.data.hangFirstAttempt && ctx.attempt === 1)
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    try {
      return await ctx.succeedWith(async (tx) => {
        await tx.query('INSERT INTO task_effects (task_id, attempt, replica) VALUES ($1, $2, $3)', [
          task.id,
          ctx.attempt,
          replica,
        ]);
        await this.outbox.add(tx, EffectDone.of({ taskId: task.id, replica }), { key: task.id });
        return { doneBy: replica };
      });
    } catch (error) {
      process.stdout.write(`succeed-refused ${task.id} ${ctx.attempt} ${(error as Error).name}\n`);
      throw error;
    }
  }
}

const SCENARIOS: Record<string, Array<new (...args: never[]) => unknown>> = {
  'exactly-once': [EverySecondJob],
  misfire: [SkipJob, FireOnceJob, BackfillJob],
  tasks: [AlwaysFailsTask, EffectOnceTask],
};

async function main(): Promise<void> {
  const providers = SCENARIOS[scenario];
  if (!providers) throw new Error(`unknown scenario "${scenario}"`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: testInfra.databaseUrl(),
    schema,
    entities: TROUPE_ENTITIES,
    extra: { max: 4, options: `-c search_path=${schema}` },
  });
  await dataSource.initialize();
  const database: DynamicModule = {
    module: class ReplicaDatabase {},
    global: true,
    providers: [{ provide: DataSource, useValue: dataSource }],
    exports: [DataSource],
  };
  const log = (level: string, message: string) => {
    if (level === 'warn' || level === 'error') process.stderr.write(`${level} ${message}\n`);
  };
  @Module({
    imports: [
      database,
      TroupeModule.forRoot({
        service: `it-scheduler-${scenario}`,
        kafka: { brokers: testInfra.kafkaBrokers() },
        schemaRegistry: { url: testInfra.schemaRegistryUrl() },
        publishes: scenario === 'tasks' ? [EffectDone] : [],
        topics: { partitions: 2 },
        relay: { pollIntervalMs: 200, standbyRetryMs: 500 },
        instanceId: replica,
        endpoints: false,
        log,
      }),
      SchedulingModule.forRoot({
        replicaId: replica,
        tickIntervalMs: 200,
        taskPollIntervalMs: 200,
        misfireGraceMs: Number(process.env.SCHED_GRACE_MS ?? 60_000),
        shutdownTimeoutMs: 3000,
        log,
      }),
    ],
    providers,
  })
  class ReplicaModule {}

  const app = await NestFactory.createApplicationContext(ReplicaModule, { logger: ['error'] });
  await app.init();
  process.stdout.write('started\n');
  for (const task of JSON.parse(process.env.SCHED_ENQUEUE ?? '[]') as NewTask[]) {
    const { id } = await app.get(TaskQueue).enqueue(task);
    process.stdout.write(`enqueued ${id}\n`);
  }
  process.once('SIGTERM', async () => {
    await app.close();
    await dataSource.destroy();
    process.stdout.write('stopped\n');
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(`replica failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
