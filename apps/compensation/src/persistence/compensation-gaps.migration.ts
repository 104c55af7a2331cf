import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Gap events the detector replayed, with how often: past GAP_REPLAY_MAX_ATTEMPTS it gives up on them. */
export class CompensationGaps1735100000000 implements MigrationInterface {
  name = 'CompensationGaps1735100000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`CREATE TABLE IF NOT EXISTS "${s}".gap_replay (
      consumer_group text NOT NULL,
      event_id uuid NOT NULL,
      attempts integer NOT NULL,
      last_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".gap_replay`);
  }
}
