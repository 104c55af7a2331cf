import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Stock and reservations, in the DataSource's schema. The CHECKs are the last line against overselling. */
export class InventoryTables1733100000000 implements MigrationInterface {
  name = 'InventoryTables1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".stock (
        sku        text PRIMARY KEY,
        available  integer NOT NULL CHECK (available >= 0),
        reserved   integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".reservations (
        order_id   text PRIMARY KEY,
        status     text NOT NULL CHECK (status IN ('RESERVED', 'REJECTED', 'RELEASED')),
        items      jsonb NOT NULL,
        reason     text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".reservations`);
    await runner.query(`DROP TABLE IF EXISTS "${s}".stock`);
  }
}

/** The DataSource's `schema` option (serviceDatabaseOptions always sets it). */
