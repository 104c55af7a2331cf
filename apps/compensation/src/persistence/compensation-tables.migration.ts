import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The compensation app's own tables: replay jobs (replays and dead-letter redrives, with the
 * cursor of each partition, so a job survives a restart) and the audit of every request.
 */
export class CompensationTables1735000000000 implements MigrationInterface {
  name = 'CompensationTables1735000000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`CREATE TABLE IF NOT EXISTS "${s}".replay_job (
      id uuid PRIMARY KEY,
      kind text NOT NULL,
      consumer_group text NOT NULL,
      source_topic text NOT NULL,
      target_topic text NOT NULL,
      mode text NOT NULL,
      selection jsonb NOT NULL,
      ranges jsonb NOT NULL,
      cursors jsonb NOT NULL,
      rate_per_second integer NOT NULL,
      status text NOT NULL,
      expected integer NOT NULL DEFAULT 0,
      produced integer NOT NULL DEFAULT 0,
      quarantined integer NOT NULL DEFAULT 0,
      error text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS replay_job_status ON "${s}".replay_job (status, created_at)`);
    await runner.query(`CREATE TABLE IF NOT EXISTS "${s}".audit_entry (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      consumer_group text NOT NULL,
      selection jsonb NOT NULL,
      counts jsonb NOT NULL,
      outcome text NOT NULL,
      job_id uuid,
      detail text
    )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS audit_entry_at ON "${s}".audit_entry (at DESC)`);
    // What became of a dead letter: redriven (once: its next failure is a new dead letter) or quarantined.
    await runner.query(`CREATE TABLE IF NOT EXISTS "${s}".dead_letter_action (
      consumer_group text NOT NULL,
      dlq_partition integer NOT NULL,
      dlq_offset bigint NOT NULL,
      action text NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      redrive_count integer NOT NULL,
      error_code text,
      job_id uuid NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, dlq_partition, dlq_offset)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".dead_letter_action`);
    await runner.query(`DROP TABLE IF EXISTS "${s}".audit_entry`);
    await runner.query(`DROP TABLE IF EXISTS "${s}".replay_job`);
  }
}
