import { DataSource } from 'typeorm';
import type { EmailProvider, OutgoingEmail } from '../domain/email-provider.port';

/**
 * A stand-in provider: "sending" waits `latencyMs` and records the message in the service's
 * sent_emails table, once per idempotency key, the way real providers deduplicate.
 */
export class RecordingEmailProvider implements EmailProvider {
  constructor(
    private readonly dataSource: DataSource,
    private readonly latencyMs: number,
  ) {}

  async send(email: OutgoingEmail): Promise<'sent' | 'duplicate'> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const rows = await this.dataSource.query(
      `INSERT INTO sent_emails (message_key, task_id, recipient, subject) VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_key) DO NOTHING RETURNING message_key`,
      [email.key, email.taskId, email.to, email.subject],
    );
    return rows.length > 0 ? 'sent' : 'duplicate';
  }
}
