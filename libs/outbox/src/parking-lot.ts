import { DataSource, EntityManager } from 'typeorm';
import { troupeTables } from './table-names';

/** A message as the parking lot keeps it: enough to decode and handle it again later. */
export interface ParkRequest {
  group: string;
  topic: string;
  key: string | null;
  partition: number;
  offset: string;
  eventId: string;
  eventType: string;
  value: Buffer | null;
  headers: Record<string, string>;
  messageTime: number;
  /** Failed attempts so far (0 for an event queued behind its key). */
  attempts: number;
  firstFailureAt?: Date;
  lastError?: string;
  nextAttemptAt: Date;
  /** Dead-lettered, and the handler holds its key: the row blocks the key until released. */
  held?: boolean;
}

export interface ParkedEvent extends Omit<ParkRequest, 'firstFailureAt' | 'lastError' | 'nextAttemptAt' | 'held'> {
  id: string;
  firstFailureAt: Date | null;
}

/**
 * Events a consumer group will retry later, per key in arrival order. Only the oldest row of
 * a (group, topic, key) is ever attempted — the head; the others wait behind it, so per-key
 * order survives long retries. A row left `held` (dead-lettered, with the handler's choice to
 * hold its key) blocks its key until released. Rows without a key have no order to keep.
 */
export class ParkingLot {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    this.table = troupeTables(dataSource).parked;
  }

  /** Which of these (topic, key) pairs have events waiting in the group (so new ones must queue). */
  async blockedKeys(group: string, scopes: ReadonlyArray<{ topic: string; key: string }>): Promise<Set<string>> {
    if (scopes.length === 0) return new Set();
    const rows: Array<{ topic: string; key: string }> = await this.dataSource.query(
      `SELECT DISTINCT topic, key FROM ${this.table}
        WHERE consumer_group = $1 AND (topic, key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [group, scopes.map((s) => s.topic), scopes.map((s) => s.key)],
    );
    return new Set(rows.map((r) => scopeOf(r.topic, r.key)));
  }

  async park(request: ParkRequest): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${this.table} (consumer_group, topic, key, partition, "offset", event_id, event_type, value, headers, message_time,
                                  attempts, first_failure_at, last_failure_at, last_error, next_attempt_at, held)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15)`,
      [
        request.group, request.topic, request.key, request.partition, request.offset, request.eventId, request.eventType,
        request.value, JSON.stringify(request.headers), request.messageTime, request.attempts, request.firstFailureAt ?? null,
        request.lastError ?? null, request.nextAttemptAt, request.held ?? false,
      ],
    );
  }

  /**
   * Locks the next due head of the group in `tx` (skipping heads other replicas hold), or
   * returns undefined. The caller deletes it in the same transaction when it succeeds.
   */
  async lockDueHead(tx: EntityManager, group: string): Promise<ParkedEvent | undefined> {
    const [row] = await tx.query(
      `SELECT p.* FROM ${this.table} p
        WHERE p.consumer_group = $1 AND NOT p.held AND p.next_attempt_at <= now()
          AND (p.key IS NULL OR NOT EXISTS (
                SELECT 1 FROM ${this.table} q
                 WHERE q.consumer_group = p.consumer_group AND q.topic = p.topic AND q.key = p.key AND q.id < p.id))
        ORDER BY p.next_attempt_at, p.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [group],
    );
    return row ? toParked(row) : undefined;
  }

  async remove(tx: EntityManager | DataSource, id: string): Promise<void> {
    await tx.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]);
  }

  async reschedule(tx: EntityManager, id: string, attempts: number, error: string, nextAttemptAt: Date): Promise<void> {
    await tx.query(
      `UPDATE ${this.table}
          SET attempts = $2, last_error = $3, next_attempt_at = $4,
              first_failure_at = coalesce(first_failure_at, now()), last_failure_at = now()
        WHERE id = $1`,
      [id, attempts, error.slice(0, 2000), nextAttemptAt],
    );
  }

  /** Keeps a dead-lettered row as a blocker of its key, until {@link release}. */
  async hold(tx: EntityManager, id: string, attempts: number, error: string): Promise<void> {
    await tx.query(`UPDATE ${this.table} SET held = true, attempts = $2, last_error = $3, last_failure_at = now() WHERE id = $1`, [
      id,
      attempts,
      error.slice(0, 2000),
    ]);
  }

  /** Unblocks a held key (after its dead letter was dealt with); returns how many holds were lifted. */
  async release(group: string, topic: string, key: string): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, deleted] = await this.dataSource.query(`DELETE FROM ${this.table} WHERE consumer_group = $1 AND topic = $2 AND key = $3 AND held`, [group, topic, key]);
    return Number(deleted);
  }

  async count(group: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM ${this.table} WHERE consumer_group = $1`, [group]);
    return n;
  }
}

export function scopeOf(topic: string, key: string): string {
  return `${topic}\u001f${key}`;
}

function toParked(row: Record<string, unknown>): ParkedEvent {
  return {
    id: String(row.id),
    group: row.consumer_group as string,
    topic: row.topic as string,
    key: row.key as string | null,
    partition: row.partition as number,
    offset: row.offset as string,
    eventId: row.event_id as string,
    eventType: row.event_type as string,
    value: row.value as Buffer | null,
    headers: row.headers as Record<string, string>,
    messageTime: Number(row.message_time),
    attempts: row.attempts as number,
    firstFailureAt: (row.first_failure_at as Date | null) ?? null,
  };
}
