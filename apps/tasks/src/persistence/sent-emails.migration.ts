import { schemaOf } from '@troupe/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The stand-in e-mail provider's mailbox: one row per message key (the provider's idempotency key). */
export class SentEmails1735000100000 implements MigrationInterface {
  name = 'SentEmails1735000100000';

  async up(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS "${s}".sent_emails (
        message_key text PRIMARY KEY,
        task_id     uuid NOT NULL,
        recipient   text NOT NULL,
        subject     text NOT NULL,
        sent_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS sent_emails_task ON "${s}".sent_emails (task_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = await schemaOf(runner);
    await runner.query(`DROP TABLE IF EXISTS "${s}".sent_emails`);
  }
}
