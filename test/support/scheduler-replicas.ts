import { SchedulingTables1734000000000 } from '@troupe/scheduling';
import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import { ChildProcess } from 'node:child_process';
import { spawnTs } from './child-process';

export type SchedulerDb = Awaited<ReturnType<typeof createTestDataSource>>;

/** A schema of the test's own with the scheduler's tables and the fixtures' effect tables. */
export async function createSchedulerSchema(): Promise<SchedulerDb & { schema: string }> {
  const db = await createTestDataSource({ poolSize: 4 });
  const runner = db.createQueryRunner();
  try {
    await new SchedulingTables1734000000000().up(runner);
  } finally {
    await runner.release();
  }
  await db.query(
    'CREATE TABLE job_effects (job text NOT NULL, scheduled_at timestamptz NOT NULL, trigger text NOT NULL, replica text NOT NULL)',
  );
  await db.query(
    'CREATE TABLE task_effects (task_id uuid NOT NULL, attempt int NOT NULL, replica text NOT NULL)',
  );
  return Object.assign(db, { schema: (db.options as { schema: string }).schema });
}

export type Replica = ChildProcess & { output: () => string; replica: string };

/** Starts test/support/scheduler-replica.process.ts and waits until it schedules. */
export async function startReplica(
  scenario: 'exactly-once' | 'misfire' | 'tasks',
  schema: string,
  env: Record<string, string> = {},
): Promise<Replica> {
  const replica = uniqueName(`r`);
  const child = spawnTs('test/support/scheduler-replica.process.ts', [scenario], {
    SCHED_SCHEMA: schema,
    SCHED_REPLICA: replica,
    ...env,
  });
  const started = Object.assign(child, { replica });
  await waitFor(
    `replica ${replica} to start`,
    () => {
      if (child.exitCode !== null) throw new Error(`replica exited: ${child.output()}`);
      return child.output().includes('started');
    },
    90_000,
    100,
  );
  return started;
}

/** SIGTERM, then waits for the exit; returns the exit code. */
export async function stopReplica(replica: Replica): Promise<number | null> {
  if (replica.exitCode !== null || replica.signalCode !== null) return replica.exitCode;
  const exited = new Promise<number | null>((resolve) => replica.once('exit', resolve));
  replica.kill('SIGTERM');
  return exited;
}

/** SIGKILL (a crash), then waits until the process is gone. */
export async function killReplica(replica: Replica): Promise<void> {
  if (replica.exitCode !== null || replica.signalCode !== null) return;
  const exited = new Promise((resolve) => replica.once('exit', resolve));
  replica.kill('SIGKILL');
  await exited;
}
