import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the outbox and inbox in the DataSource's schema (its `schema` option, else the
 * connection's current schema). Add it to a service's migrations: `migrations: [TroupeTables1732300000000, ...]`.
 */
export class TroupeTables1732300000000 implements MigrationInterface {
  name = 'TroupeTables1732300000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".outbox (
        id           uuid PRIMARY KEY,
        seq          bigint GENERATED ALWAYS AS IDENTITY,
        topic        text NOT NULL,
        key          text,
        event_type   text NOT NULL,
        payload      bytea NOT NULL,
        headers      jsonb NOT NULL DEFAULT '{}',
        created_at   timestamptz NOT NULL DEFAULT now(),
        deliver_at   timestamptz,
        published_at timestamptz,
        attempts     integer NOT NULL DEFAULT 0,
        last_error   text
      )`);
    // The relay's scan: unpublished rows in publication order.
    await runner.query(`CREATE INDEX IF NOT EXISTS outbox_unpublished ON "${s}".outbox (seq) WHERE published_at IS NULL`);
    // Retention clean-up and replay by time.
    await runner.query(`CREATE INDEX IF NOT EXISTS outbox_published_at ON "${s}".outbox (published_at) WHERE published_at IS NOT NULL`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".inbox (
        consumer_group text NOT NULL,
        event_id       uuid NOT NULL,
        handled_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS inbox_handled_at ON "${s}".inbox (handled_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".inbox`);
    await runner.query(`DROP TABLE IF EXISTS "${s}".outbox`);
  }
}

/** The schema a migration runs in: the DataSource's `schema` option, else the connection's current schema. */
export async function schemaOf(runner: QueryRunner): Promise<string> {
  const configured = (runner.connection.options as { schema?: string }).schema;
  if (configured) return configured;
  const [{ schema }] = await runner.query('SELECT current_schema() AS schema');
  return schema;
}
