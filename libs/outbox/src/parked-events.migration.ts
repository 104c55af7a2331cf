import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './troupe-tables.migration';

/**
 * The parking lot (events waiting for a later retry, and the events of the same key queued
 * behind them) and an index for the relay's next-delayed-row lookup.
 */
export class TroupeParkedEvents1732400000000 implements MigrationInterface {
  name = 'TroupeParkedEvents1732400000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".parked_events (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer_group   text NOT NULL,
        topic            text NOT NULL,
        key              text,
        partition        integer NOT NULL,
        "offset"         text NOT NULL,
        event_id         uuid NOT NULL,
        event_type       text NOT NULL,
        value            bytea,
        headers          jsonb NOT NULL,
        message_time     bigint NOT NULL,
        attempts         integer NOT NULL DEFAULT 0,
        first_failure_at timestamptz,
        last_failure_at  timestamptz,
        last_error       text,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        held             boolean NOT NULL DEFAULT false,
        parked_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS parked_events_due ON "${s}".parked_events (consumer_group, next_attempt_at) WHERE NOT held`);
    await runner.query(`CREATE INDEX IF NOT EXISTS parked_events_key ON "${s}".parked_events (consumer_group, topic, key, id)`);
    await runner.query(`CREATE INDEX IF NOT EXISTS outbox_delayed ON "${s}".outbox (deliver_at) WHERE published_at IS NULL AND deliver_at IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP INDEX IF EXISTS "${s}".outbox_delayed`);
    await runner.query(`DROP TABLE IF EXISTS "${s}".parked_events`);
  }
}
