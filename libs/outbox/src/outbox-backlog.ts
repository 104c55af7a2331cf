import { DataSource } from 'typeorm';
import { troupeTables } from './table-names';

/** What waits in an outbox right now. */
export interface OutboxBacklog {
  /** Unpublished rows that are not quarantined (due or delayed). */
  pending: number;
  /** Rows set aside by the relay (see OutboxQuarantine). */
  quarantined: number;
  /** Age of the oldest due, unpublished, not quarantined row in seconds; 0 when there is none. */
  oldestPendingAgeSeconds: number;
}

/** One statement over the outbox's unpublished rows (its partial index); the relay's gauges and the admin view read the same figures. */
export async function measureOutboxBacklog(dataSource: DataSource): Promise<OutboxBacklog> {
  const { outbox } = troupeTables(dataSource);
  const [row] = await dataSource.query(
    `SELECT count(*) FILTER (WHERE quarantined_at IS NULL)::int AS pending,
            count(*) FILTER (WHERE quarantined_at IS NOT NULL)::int AS quarantined,
            coalesce(extract(epoch FROM now() - min(greatest(created_at, coalesce(deliver_at, created_at))) FILTER (WHERE quarantined_at IS NULL AND (deliver_at IS NULL OR deliver_at <= now()))), 0) AS age
       FROM ${outbox} WHERE published_at IS NULL`,
  );
  return {
    pending: Number(row.pending),
    quarantined: Number(row.quarantined),
    oldestPendingAgeSeconds: Math.max(0, Number(row.age)),
  };
}
