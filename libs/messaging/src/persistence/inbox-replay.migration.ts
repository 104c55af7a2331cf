import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './troupe-tables.migration';

/**
 * Replays: the inbox remembers which replay last re-applied an event (reprocess mode applies an
 * event once per replay), and the outbox is searchable by correlation id (tracing a flow).
 */
export class TroupeInboxReplay1732600000000 implements MigrationInterface {
  name = 'TroupeInboxReplay1732600000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`ALTER TABLE "${s}".inbox ADD COLUMN IF NOT EXISTS replay_id uuid`);
    await runner.query(`CREATE INDEX IF NOT EXISTS outbox_correlation ON "${s}".outbox ((headers->>'ce_correlationid'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP INDEX IF EXISTS "${s}".outbox_correlation`);
    await runner.query(`ALTER TABLE "${s}".inbox DROP COLUMN IF EXISTS replay_id`);
  }
}
