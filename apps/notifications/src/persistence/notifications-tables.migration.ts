import { MigrationInterface, QueryRunner } from 'typeorm';

/** The notifications table, in the service's own schema (the connection's search_path). */
export class NotificationsTables1733000000000 implements MigrationInterface {
  name = 'NotificationsTables1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS notifications (
        id          uuid PRIMARY KEY,
        event_id    uuid NOT NULL UNIQUE,
        event_type  text NOT NULL,
        order_id    text NOT NULL,
        customer_id text,
        kind        text NOT NULL,
        recipient   text NOT NULL,
        channel     text NOT NULL,
        subject     text NOT NULL,
        body        text NOT NULL,
        occurred_at timestamptz NOT NULL,
        sent_at     timestamptz NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX IF NOT EXISTS notifications_order ON notifications (order_id, occurred_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS notifications');
  }
}
