import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The orders table, in the DataSource's schema. */
export class OrdersTables1733100000000 implements MigrationInterface {
  name = 'OrdersTables1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".orders (
        id              uuid PRIMARY KEY,
        customer_id     text NOT NULL,
        status          text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
        cancel_reason   text,
        items           jsonb NOT NULL,
        total_cents     bigint NOT NULL CHECK (total_cents >= 0),
        idempotency_key text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT orders_idempotency_key_unique UNIQUE (idempotency_key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".orders`);
  }
}

/** The DataSource's `schema` option (serviceDatabaseOptions always sets it). */
