import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './troupe-tables.migration';

/**
 * Quarantine for outbox rows the broker refuses for good (see OutboxQuarantine): when and why a
 * row was set aside, and an index over the quarantined rows of each key, which the relay's scan
 * consults so later rows of that key wait behind it.
 */
export class TroupeOutboxQuarantine1732500000000 implements MigrationInterface {
  name = 'TroupeOutboxQuarantine1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(
      `ALTER TABLE "${s}".outbox ADD COLUMN IF NOT EXISTS quarantined_at timestamptz, ADD COLUMN IF NOT EXISTS quarantine_reason text`,
    );
    await runner.query(
      `CREATE INDEX IF NOT EXISTS outbox_quarantined ON "${s}".outbox (topic, key, seq) WHERE quarantined_at IS NOT NULL AND published_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP INDEX IF EXISTS "${s}".outbox_quarantined`);
    await runner.query(
      `ALTER TABLE "${s}".outbox DROP COLUMN IF EXISTS quarantine_reason, DROP COLUMN IF EXISTS quarantined_at`,
    );
  }
}
