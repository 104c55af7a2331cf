import { IncomingMessage } from '@troupe/messaging';
import { DEAD_LETTER_HEADER, HEADER } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { positionOf, redriveCountOf } from './dead-letter.view';

export type DeadLetterAction = 'redriven' | 'quarantined';

/** The dead_letter_action table: each dead letter is redriven at most once, or quarantined. */
export class DeadLetterActions {
  constructor(private readonly db: DataSource) {}

  /** Position (`partition@offset`) → action, for a group's dead letters. */
  async of(group: string): Promise<Map<string, DeadLetterAction>> {
    const rows: Array<{ dlq_partition: number; dlq_offset: string; action: DeadLetterAction }> = await this.db.query(
      `SELECT dlq_partition, dlq_offset::text, action FROM dead_letter_action WHERE consumer_group = $1`,
      [group],
    );
    return new Map(rows.map((r) => [positionOf({ partition: r.dlq_partition, offset: r.dlq_offset }), r.action]));
  }

  async record(group: string, jobId: string, action: DeadLetterAction, messages: readonly IncomingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.db.query(
      `INSERT INTO dead_letter_action (consumer_group, dlq_partition, dlq_offset, action, event_id, event_type, redrive_count, error_code, job_id)
       SELECT $1, p, o, $2, e, t, c, x, $3 FROM unnest($4::int[], $5::bigint[], $6::uuid[], $7::text[], $8::int[], $9::text[]) AS u(p, o, e, t, c, x)
       ON CONFLICT DO NOTHING`,
      [
        group,
        action,
        jobId,
        messages.map((m) => m.partition),
        messages.map((m) => m.offset),
        messages.map((m) => m.headers[HEADER.eventId]),
        messages.map((m) => m.headers[HEADER.eventType]),
        messages.map(redriveCountOf),
        messages.map((m) => m.headers[DEAD_LETTER_HEADER.errorCode] ?? null),
      ],
    );
  }
}
