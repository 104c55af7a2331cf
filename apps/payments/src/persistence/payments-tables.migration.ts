import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The payments table, in the DataSource's schema. */
export class PaymentsTables1733100000000 implements MigrationInterface {
  name = 'PaymentsTables1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".payments (
        id           uuid PRIMARY KEY,
        order_id     text NOT NULL,
        status       text NOT NULL CHECK (status IN ('AUTHORIZED', 'FAILED', 'REFUNDED')),
        amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
        reason       text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payments_order_id_unique UNIQUE (order_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS "${await schemaOf(runner)}".payments`);
  }
}

/** The DataSource's `schema` option (serviceDatabaseOptions always sets it). */
