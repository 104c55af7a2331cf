import { DataSource } from 'typeorm';
import { troupeTables } from './table-names';

/** One quarantined outbox row, as {@link OutboxQuarantine.list} reports it. */
export interface QuarantinedRow {
  id: string;
  topic: string;
  key: string | null;
  eventType: string;
  quarantinedAt: Date;
  reason: string;
  attempts: number;
}

/**
 * Outbox rows the broker refused for good (a record over the topic's max.message.bytes, a topic
 * that does not exist). The relay sets such a row aside so the rest of the outbox flows; later
 * rows of the same topic and key wait behind it, so per-key order holds. Once the cause is
 * fixed (the topic created, its limit raised), release the row: it is published next, then the
 * rows behind it. A released row whose cause is not fixed is quarantined again.
 */
export class OutboxQuarantine {
  /** The quarantined rows, oldest first (at most `limit`). */
  static async list(dataSource: DataSource, limit = 100): Promise<QuarantinedRow[]> {
    const { outbox } = troupeTables(dataSource);
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT id, topic, key, event_type, quarantined_at, quarantine_reason, attempts
         FROM ${outbox} WHERE quarantined_at IS NOT NULL AND published_at IS NULL ORDER BY seq LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      topic: r.topic as string,
      key: r.key as string | null,
      eventType: r.event_type as string,
      quarantinedAt: r.quarantined_at as Date,
      reason: r.quarantine_reason as string,
      attempts: Number(r.attempts),
    }));
  }

  /** Puts quarantined rows back in line and wakes the relay; returns how many were released. */
  static async release(dataSource: DataSource, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { outbox, channel } = troupeTables(dataSource);
    const [{ released }] = await dataSource.query(
      `WITH released AS (
         UPDATE ${outbox} SET quarantined_at = NULL, quarantine_reason = NULL
          WHERE id = ANY($1::uuid[]) AND quarantined_at IS NOT NULL AND published_at IS NULL RETURNING id)
       SELECT count(*)::int AS released FROM released`,
      [ids],
    );
    if (released > 0) await dataSource.query('SELECT pg_notify($1, $2)', [channel, '']);
    return released;
  }
}
