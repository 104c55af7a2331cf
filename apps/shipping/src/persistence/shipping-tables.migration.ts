import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The shipments table, in the DataSource's schema: one row per order. */
export class ShippingTables1733100000000 implements MigrationInterface {
  name = 'ShippingTables1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".shipments (
        order_id     text PRIMARY KEY,
        shipment_id  uuid UNIQUE,
        status       text NOT NULL CHECK (status IN ('WAITING', 'SCHEDULED')),
        payment_seen boolean NOT NULL DEFAULT false,
        stock_seen   boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'SCHEDULED') = (shipment_id IS NOT NULL))
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS "${await schemaOf(runner)}".shipments`);
  }
}

/** The DataSource's `schema` option (serviceDatabaseOptions always sets it). */
