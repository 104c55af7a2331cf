import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes of GET /orders: by state and placement time, and by state and last change. */
export class OrdersListing1734000000000 implements MigrationInterface {
  name = 'OrdersListing1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS orders_status_created ON "${s}".orders (status, created_at, id)`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS orders_status_updated ON "${s}".orders (status, updated_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP INDEX IF EXISTS "${s}".orders_status_updated`);
    await runner.query(`DROP INDEX IF EXISTS "${s}".orders_status_created`);
  }
}
