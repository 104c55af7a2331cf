import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { taskTables } from './task-tables';
import { updatedRows } from './updated-rows';

/** A task a worker now holds, for one attempt. */
export interface ClaimedTask {
  id: string;
  type: string;
  priority: number;
  payload: object;
  /** This attempt's number (the fencing token of every later write, with the worker id). */
  attempt: number;
  maxAttempts: number;
  checkpoint: unknown;
  submittedAt: Date;
  runAt: Date;
}

/** Per type: how many more attempts this worker may start, and how long it leases them. */
export interface TypeCapacity {
  type: string;
  free: number;
  leaseMs: number;
}

/**
 * The worker side of the task table. Claims take due PENDING tasks with FOR UPDATE SKIP LOCKED,
 * so replicas never take the same task; every later write of an attempt is fenced by
 * (claimed_by, attempts), so a worker that lost its lease cannot overwrite the next attempt.
 */
export class TaskClaims {
  private readonly table: string;
  private session?: Promise<PoolClient>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly workerId: string,
  ) {
    this.table = taskTables(dataSource).tasks;
  }

  /**
   * Claims up to `slots` due tasks in one statement: per priority the oldest due first, at most
   * `quotas[p]` of priority p while others have work; slots one priority cannot fill go to the
   * others (in-quota candidates first, then by priority); no type beyond its free capacity.
   * `available[p]`: the due candidates of priority p it saw (at most `slots`; 0s when it claimed none).
   */
  async claim(
    slots: number,
    quotas: readonly number[],
    capacity: readonly TypeCapacity[],
  ): Promise<{ tasks: ClaimedTask[]; available: number[] }> {
    const eligible = capacity.filter((c) => c.free > 0);
    if (slots <= 0 || eligible.length === 0) return { tasks: [], available: [0, 0, 0] };
    const candidates = (p: number) =>
      `SELECT id, type, run_at FROM ${this.table}
        WHERE status = 'PENDING' AND priority = ${p} AND run_at <= now() AND type = ANY($3::text[])
        ORDER BY run_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`;
    const rows: Record<string, unknown>[] = updatedRows(
      await this.claimQuery(
        `WITH c0 AS (${candidates(0)}), c1 AS (${candidates(1)}), c2 AS (${candidates(2)}),
       cand AS (
         SELECT id, type, 0 AS p, row_number() OVER (ORDER BY run_at, id) AS r FROM c0
         UNION ALL SELECT id, type, 1, row_number() OVER (ORDER BY run_at, id) FROM c1
         UNION ALL SELECT id, type, 2, row_number() OVER (ORDER BY run_at, id) FROM c2),
       keyed AS (SELECT cand.*, (r > ($2::int[])[p + 1]) AS beyond FROM cand),
       typed AS (SELECT keyed.*, row_number() OVER (PARTITION BY type ORDER BY beyond, p, r) AS tr FROM keyed),
       chosen AS (
         SELECT t.id, f.lease_ms FROM typed t
           JOIN unnest($3::text[], $4::int[], $5::int[]) AS f(type, free, lease_ms) ON f.type = t.type
          WHERE t.tr <= f.free
          ORDER BY t.beyond, t.p, t.r LIMIT $1)
       UPDATE ${this.table} t
          SET status = 'RUNNING', attempts = t.attempts + 1, claimed_by = $6,
              lease_expires_at = now() + chosen.lease_ms * interval '1 millisecond',
              started_at = coalesce(t.started_at, now()), updated_at = now()
         FROM chosen WHERE t.id = chosen.id
       RETURNING t.id, t.type, t.priority, t.payload, t.attempts, t.max_attempts, t.checkpoint, t.submitted_at, t.run_at,
                 (SELECT count(*) FROM c0)::int AS a0, (SELECT count(*) FROM c1)::int AS a1, (SELECT count(*) FROM c2)::int AS a2`,
        [
          slots,
          quotas,
          eligible.map((c) => c.type),
          eligible.map((c) => c.free),
          eligible.map((c) => c.leaseMs),
          this.workerId,
        ],
      ),
    );
    const tasks = rows
      .map((row) => ({
        id: row.id as string,
        type: row.type as string,
        priority: Number(row.priority),
        payload: row.payload as object,
        attempt: Number(row.attempts),
        maxAttempts: Number(row.max_attempts),
        checkpoint: row.checkpoint ?? undefined,
        submittedAt: row.submitted_at as Date,
        runAt: row.run_at as Date,
      }))
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          a.runAt.getTime() - b.runAt.getTime() ||
          (a.id < b.id ? -1 : 1),
      );
    const first = rows[0];
    return {
      tasks,
      available: first ? [Number(first.a0), Number(first.a1), Number(first.a2)] : [0, 0, 0],
    };
  }

  /** Gives the claim session back to the pool. */
  async close(): Promise<void> {
    const session = await this.session?.catch(() => undefined);
    this.session = undefined;
    session?.release();
  }

  /**
   * Claims run on a session of their own with synchronous_commit off: a claim lost in a
   * database crash only leaves its task PENDING, to be claimed (and run, idempotently) again,
   * and the next durable commit (the attempt's outcome) flushes it anyway. So a claim does not
   * wait for a WAL flush; outcomes still do.
   */
  private async claimQuery(sql: string, params: unknown[]): Promise<unknown> {
    this.session ??= (async () => {
      const client = await (this.dataSource.driver as unknown as { master: Pool }).master.connect();
      client.on('error', () => (this.session = undefined));
      await client.query('SET synchronous_commit = off');
      return client;
    })();
    let client: PoolClient | undefined;
    try {
      client = await this.session;
      return (await client.query(sql, params)).rows;
    } catch (error) {
      this.session = undefined;
      client?.release(true);
      throw error;
    }
  }

  /** Milliseconds until the earliest PENDING task is due (0 if one is due now), or null when none is pending. */
  async nextDueInMs(): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT extract(epoch FROM (least(
          (SELECT min(run_at) FROM ${this.table} WHERE status = 'PENDING' AND priority = 0),
          (SELECT min(run_at) FROM ${this.table} WHERE status = 'PENDING' AND priority = 1),
          (SELECT min(run_at) FROM ${this.table} WHERE status = 'PENDING' AND priority = 2)) - now())) * 1000 AS ms`,
    );
    return row.ms === null ? null : Math.max(0, Number(row.ms));
  }

  /** Extends the leases of this worker's attempts; returns the ids it still holds. */
  async renew(
    held: ReadonlyArray<{ id: string; attempt: number; leaseMs: number }>,
  ): Promise<Set<string>> {
    if (held.length === 0) return new Set();
    const rows: Array<{ id: string }> = updatedRows(
      await this.dataSource.query(
        `UPDATE ${this.table} t SET lease_expires_at = now() + h.lease_ms * interval '1 millisecond'
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS h(id, attempt, lease_ms)
        WHERE t.id = h.id AND t.status = 'RUNNING' AND t.claimed_by = $4 AND t.attempts = h.attempt
       RETURNING t.id`,
        [
          held.map((h) => h.id),
          held.map((h) => h.attempt),
          held.map((h) => h.leaseMs),
          this.workerId,
        ],
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Stores an attempt's progress (and checkpoint, when given); false when the attempt no longer holds the task. */
  async progress(
    id: string,
    attempt: number,
    percent: number,
    message: string | null,
    checkpoint: unknown,
  ): Promise<boolean> {
    const rows = updatedRows(
      await this.dataSource.query(
        `UPDATE ${this.table}
          SET progress_percent = $3, progress_message = $4, progress_at = now(), updated_at = now(),
              checkpoint = CASE WHEN $5::boolean THEN $6::jsonb ELSE checkpoint END
        WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $7 AND attempts = $2
       RETURNING id`,
        [
          id,
          attempt,
          percent,
          message,
          checkpoint !== undefined,
          checkpoint === undefined ? null : JSON.stringify(checkpoint),
          this.workerId,
        ],
      ),
    );
    return rows.length > 0;
  }
}
