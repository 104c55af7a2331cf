import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The index of GET /payments: by state and creation time. */
export class PaymentsListing1734000000000 implements MigrationInterface {
  name = 'PaymentsListing1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS payments_status_created ON "${s}".payments (status, created_at, id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS "${await schemaOf(runner)}".payments_status_created`);
  }
}
