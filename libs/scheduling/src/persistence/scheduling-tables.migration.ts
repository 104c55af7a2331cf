import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduler's tables, in the DataSource's schema: one row per job (its decision cursor and
 * pause flag), the run history with one row per firing (the unique index is the claim), the
 * task table and one row per task attempt.
 */
export class SchedulingTables1734000000000 implements MigrationInterface {
  name = 'SchedulingTables1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".scheduled_jobs (
        name       text PRIMARY KEY,
        -- Every firing up to here has been decided (run, or recorded as MISSED).
        decided_to timestamptz NOT NULL,
        paused     boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".job_runs (
        id           uuid PRIMARY KEY,
        job_name     text NOT NULL,
        scheduled_at timestamptz NOT NULL,
        trigger      text NOT NULL CHECK (trigger IN ('schedule', 'misfire', 'manual')),
        outcome      text NOT NULL
                     CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABANDONED', 'MISSED')),
        replica      text NOT NULL,
        -- All rows of one decision share it (the deciding transaction's start).
        claimed_at   timestamptz NOT NULL,
        started_at   timestamptz,
        finished_at  timestamptz,
        -- A RUNNING row past this belongs to a replica that died: it is marked ABANDONED.
        deadline_at  timestamptz,
        error        text,
        findings     jsonb
      )`);
    // The claim: at most one row per firing of a job, whichever replica decided it.
    await runner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS job_runs_one_per_firing ON "${s}".job_runs (job_name, scheduled_at) WHERE trigger <> 'manual'`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS job_runs_recent ON "${s}".job_runs (job_name, claimed_at DESC)`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS job_runs_running ON "${s}".job_runs (job_name) WHERE outcome = 'RUNNING'`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS job_runs_succeeded ON "${s}".job_runs (job_name, finished_at DESC) WHERE outcome = 'SUCCEEDED'`,
    );
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".tasks (
        id               uuid PRIMARY KEY,
        type             text NOT NULL,
        external_ref     text,
        status           text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
        attempts         integer NOT NULL DEFAULT 0,
        -- The task is FAILED once attempts reaches this; a retry by hand raises it.
        max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
        next_attempt_at  timestamptz NOT NULL,
        lease_owner      text,
        lease_expires_at timestamptz,
        last_error       text,
        data             jsonb NOT NULL DEFAULT '{}',
        result           jsonb,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tasks_one_per_reference UNIQUE (type, external_ref)
      )`);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS tasks_due ON "${s}".tasks (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS tasks_leased ON "${s}".tasks (lease_expires_at) WHERE status = 'RUNNING'`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS tasks_listing ON "${s}".tasks (status, type, created_at DESC)`,
    );
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".task_attempts (
        task_id     uuid NOT NULL REFERENCES "${s}".tasks (id) ON DELETE CASCADE,
        attempt     integer NOT NULL,
        runner      text NOT NULL,
        started_at  timestamptz NOT NULL,
        finished_at timestamptz,
        outcome     text NOT NULL CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'LEASE_EXPIRED')),
        error       text,
        PRIMARY KEY (task_id, attempt)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    for (const table of ['task_attempts', 'tasks', 'job_runs', 'scheduled_jobs'])
      await runner.query(`DROP TABLE IF EXISTS "${s}".${table}`);
  }
}

/** The scheduler's migrations, in order; a service runs them after Troupe's own. */
export const SCHEDULING_MIGRATIONS = [SchedulingTables1734000000000];
