import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task table and the rate-limit buckets, in the DataSource's schema. Add TASK_MIGRATIONS
 * to the service's migrations. Indexes are few on purpose: every status change writes each one.
 */
export class TroupeTasks1735000000000 implements MigrationInterface {
  name = 'TroupeTasks1735000000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".tasks (
        id               uuid PRIMARY KEY,
        type             text NOT NULL,
        priority         smallint NOT NULL CHECK (priority BETWEEN 0 AND 2),
        status           text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        payload          jsonb NOT NULL,
        run_at           timestamptz NOT NULL,
        attempts         integer NOT NULL DEFAULT 0,
        max_attempts     integer NOT NULL,
        idempotency_key  text,
        claimed_by       text,
        lease_expires_at timestamptz,
        progress_percent smallint,
        progress_message text,
        progress_at      timestamptz,
        checkpoint       jsonb,
        result           jsonb,
        error            text,
        history          jsonb NOT NULL DEFAULT '[]',
        submitted_at     timestamptz NOT NULL DEFAULT now(),
        started_at       timestamptz,
        finished_at      timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    // The workers' claim: due PENDING tasks per priority in (run_at, id) order.
    await runner.query(
      `CREATE INDEX IF NOT EXISTS tasks_pending ON "${s}".tasks (priority, run_at, id) WHERE status = 'PENDING'`,
    );
    // The lease sweeper: RUNNING tasks whose worker stopped renewing.
    await runner.query(
      `CREATE INDEX IF NOT EXISTS tasks_running ON "${s}".tasks (lease_expires_at) WHERE status = 'RUNNING'`,
    );
    // GET /tasks?status=, newest first; also the per-status gauges.
    await runner.query(`CREATE INDEX IF NOT EXISTS tasks_by_status ON "${s}".tasks (status, id)`);
    await runner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS tasks_idempotency_key ON "${s}".tasks (idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    // A queue table turns over constantly: every claim and outcome leaves a dead row version and
    // dead entries at the head of tasks_pending that each claim walks past until vacuum clears
    // them. Vacuum it early and without throttling (measured: docs/benchmarks.md, one million tasks).
    await runner.query(
      `ALTER TABLE "${s}".tasks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_cost_delay = 0)`,
    );
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".task_rate_limits (
        name        text PRIMARY KEY,
        tokens      double precision NOT NULL,
        refilled_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".task_rate_limits`);
    await runner.query(`DROP TABLE IF EXISTS "${s}".tasks`);
  }
}

/** The task machinery's migrations, in order; a service runs them after Troupe's own. */
export const TASK_MIGRATIONS = [TroupeTasks1735000000000];
