import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SchedulingTables, schedulingTables } from '../persistence/scheduling-tables';
import type { TaskAttempt, TaskRecord } from './task-context';
import type { TaskStatus } from './task-definition';

type Row = Record<string, unknown>;

/** The attempt a runner holds: the fence every write of that attempt carries. */
export interface HeldAttempt {
  taskId: string;
  attempt: number;
  runner: string;
}

export interface TaskFilter {
  type?: string;
  status?: TaskStatus;
  externalRef?: string;
  /** Tasks created before this (paging: the createdAt of the last task seen). */
  createdBefore?: Date;
  limit: number;
}

/**
 * The task table's SQL. Every write of an attempt is fenced by (task id, attempt number,
 * runner, RUNNING): a runner that lost its lease (it stalled, another replica took the task
 * over) changes nothing any more.
 */
export class TaskStore {
  private readonly t: SchedulingTables;

  constructor(private readonly dataSource: DataSource) {
    this.t = schedulingTables(dataSource);
  }

  /** Inserts a PENDING task; an existing task of the same type and reference is kept instead. */
  async insert(
    on: EntityManager | DataSource,
    task: {
      type: string;
      externalRef: string | null;
      data: unknown;
      runAt?: Date;
      maxAttempts: number;
    },
  ): Promise<{ id: string; created: boolean }> {
    const id = randomUUID();
    const inserted: Row[] = await on.query(
      `INSERT INTO ${this.t.tasks} (id, type, external_ref, status, max_attempts, next_attempt_at, data)
       VALUES ($1, $2, $3, 'PENDING', $4, COALESCE($5::timestamptz, now()), $6::jsonb)
       ON CONFLICT ON CONSTRAINT tasks_one_per_reference DO NOTHING RETURNING id`,
      [
        id,
        task.type,
        task.externalRef,
        task.maxAttempts,
        task.runAt ?? null,
        JSON.stringify(task.data ?? {}),
      ],
    );
    if (inserted.length > 0) return { id, created: true };
    const [existing]: Row[] = await on.query(
      `SELECT id FROM ${this.t.tasks} WHERE type = $1 AND external_ref = $2`,
      [task.type, task.externalRef],
    );
    return { id: existing.id as string, created: false };
  }

  /**
   * Takes up to `limit` due tasks of the given types (type → lease in ms) for `runner`: PENDING
   * ones whose time has come, and RUNNING ones whose lease expired (their runner died; that
   * attempt is recorded as LEASE_EXPIRED). A task whose expired attempt was its last becomes
   * FAILED instead (returned as `exhausted`): a task that kills its runner is not run forever.
   */
  async claim(
    leases: ReadonlyMap<string, number>,
    runner: string,
    limit: number,
  ): Promise<{ claimed: TaskRecord[]; exhausted: TaskRecord[] }> {
    return this.dataSource.transaction(async (tx) => {
      const due: Row[] = await tx.query(
        `SELECT id, type, status, attempts, max_attempts FROM ${this.t.tasks}
          WHERE type = ANY($1::text[])
            AND ((status = 'PENDING' AND next_attempt_at <= now())
              OR (status = 'RUNNING' AND lease_expires_at < now()))
          ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [[...leases.keys()], limit],
      );
      const expired = due.filter((r) => r.status === 'RUNNING');
      if (expired.length > 0)
        await tx.query(
          `UPDATE ${this.t.attempts} a
              SET outcome = 'LEASE_EXPIRED', finished_at = now(),
                  error = 'runner ' || a.runner || ' stopped renewing its lease'
             FROM unnest($1::uuid[], $2::int[]) AS x(id, attempt)
            WHERE a.task_id = x.id AND a.attempt = x.attempt AND a.outcome = 'RUNNING'`,
          [expired.map((r) => r.id), expired.map((r) => r.attempts)],
        );
      const spent = expired.filter((r) => (r.attempts as number) >= (r.max_attempts as number));
      const exhausted: Row[] =
        spent.length === 0
          ? []
          : await tx.query(
              `WITH failed AS (
                 UPDATE ${this.t.tasks}
                    SET status = 'FAILED', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
                        last_error = 'the runner of its last attempt stopped renewing its lease'
                  WHERE id = ANY($1::uuid[]) RETURNING *)
               SELECT * FROM failed`,
              [spent.map((r) => r.id)],
            );
      const take = due.filter((r) => !spent.includes(r));
      if (take.length === 0) return { claimed: [], exhausted: exhausted.map(toTask) };
      const claimed: Row[] = await tx.query(
        `WITH taken AS (
           UPDATE ${this.t.tasks} t
              SET status = 'RUNNING', attempts = t.attempts + 1, lease_owner = $3,
                  lease_expires_at = now() + x.lease_ms * interval '1 millisecond', updated_at = now()
             FROM unnest($1::uuid[], $2::int[]) AS x(id, lease_ms)
            WHERE t.id = x.id RETURNING t.*)
         SELECT * FROM taken ORDER BY next_attempt_at, id`,
        [take.map((r) => r.id), take.map((r) => leases.get(r.type as string)), runner],
      );
      await tx.query(
        `INSERT INTO ${this.t.attempts} (task_id, attempt, runner, started_at, outcome)
         SELECT id, attempt, $3, now(), 'RUNNING' FROM unnest($1::uuid[], $2::int[]) AS x(id, attempt)`,
        [claimed.map((r) => r.id), claimed.map((r) => r.attempts), runner],
      );
      return { claimed: claimed.map(toTask), exhausted: exhausted.map(toTask) };
    });
  }

  /** Extends the lease; false when the attempt is no longer this runner's. */
  async renew(held: HeldAttempt, leaseMs: number): Promise<boolean> {
    const rows: Row[] = await this.dataSource.query(
      `WITH renewed AS (
         UPDATE ${this.t.tasks} SET lease_expires_at = now() + $4 * interval '1 millisecond'
          WHERE id = $1 AND attempts = $2 AND lease_owner = $3 AND status = 'RUNNING' RETURNING id)
       SELECT id FROM renewed`,
      [held.taskId, held.attempt, held.runner, leaseMs],
    );
    return rows.length > 0;
  }

  /** Marks the attempt and the task SUCCEEDED in `tx`; false (nothing changed) when it is no longer this runner's. */
  async succeed(tx: EntityManager, held: HeldAttempt, result: unknown): Promise<boolean> {
    const rows: Row[] = await tx.query(
      `WITH done AS (
         UPDATE ${this.t.tasks}
            SET status = 'SUCCEEDED', result = $4::jsonb, lease_owner = NULL, lease_expires_at = NULL,
                last_error = NULL, updated_at = now()
          WHERE id = $1 AND attempts = $2 AND lease_owner = $3 AND status = 'RUNNING' RETURNING id),
       attempt AS (
         UPDATE ${this.t.attempts} SET outcome = 'SUCCEEDED', finished_at = now()
          WHERE task_id = $1 AND attempt = $2 AND EXISTS (SELECT 1 FROM done) RETURNING 1)
       SELECT (SELECT count(*) FROM done)::int AS n, (SELECT count(*) FROM attempt)::int AS a`,
      [held.taskId, held.attempt, held.runner, JSON.stringify(result ?? null)],
    );
    return rows[0].n === 1;
  }

  /**
   * Records a failed attempt: the task goes back to PENDING for `retryInMs` (database time),
   * or is FAILED when that is null. False (nothing changed) when the attempt is no longer this
   * runner's.
   */
  async fail(held: HeldAttempt, error: string, retryInMs: number | null): Promise<boolean> {
    const rows: Row[] = await this.dataSource.query(
      `WITH failed AS (
         UPDATE ${this.t.tasks}
            SET status = CASE WHEN $5::float8 IS NULL THEN 'FAILED' ELSE 'PENDING' END,
                next_attempt_at = COALESCE(now() + $5::float8 * interval '1 millisecond', next_attempt_at),
                lease_owner = NULL, lease_expires_at = NULL, last_error = $4, updated_at = now()
          WHERE id = $1 AND attempts = $2 AND lease_owner = $3 AND status = 'RUNNING' RETURNING id),
       attempt AS (
         UPDATE ${this.t.attempts} SET outcome = 'FAILED', finished_at = now(), error = $4
          WHERE task_id = $1 AND attempt = $2 AND EXISTS (SELECT 1 FROM failed) RETURNING 1)
       SELECT (SELECT count(*) FROM failed)::int AS n, (SELECT count(*) FROM attempt)::int AS a`,
      [held.taskId, held.attempt, held.runner, error, retryInMs],
    );
    return rows[0].n === 1;
  }

  /** A FAILED task back to PENDING now, with `extraAttempts` more; the task as it is afterwards. */
  async retry(
    id: string,
    extraAttempts: number,
  ): Promise<{ outcome: 'retried' | 'not-failed' | 'not-found'; task?: TaskRecord }> {
    const rows: Row[] = await this.dataSource.query(
      `WITH retried AS (
         UPDATE ${this.t.tasks}
            SET status = 'PENDING', next_attempt_at = now(), max_attempts = attempts + $2, updated_at = now()
          WHERE id = $1 AND status = 'FAILED' RETURNING *)
       SELECT * FROM retried`,
      [id, extraAttempts],
    );
    if (rows.length > 0) return { outcome: 'retried', task: toTask(rows[0]) };
    const task = await this.get(id);
    return task ? { outcome: 'not-failed', task } : { outcome: 'not-found' };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT * FROM ${this.t.tasks} WHERE id = $1`,
      [id],
    );
    return row ? toTask(row) : undefined;
  }

  async attempts(id: string): Promise<TaskAttempt[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM ${this.t.attempts} WHERE task_id = $1 ORDER BY attempt`,
      [id],
    );
    return rows.map((r) => ({
      attempt: r.attempt as number,
      runner: r.runner as string,
      startedAt: r.started_at as Date,
      finishedAt: (r.finished_at as Date | null) ?? null,
      outcome: r.outcome as TaskAttempt['outcome'],
      error: (r.error as string | null) ?? null,
    }));
  }

  /** Newest first. */
  async list(filter: TaskFilter): Promise<TaskRecord[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM ${this.t.tasks}
        WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR external_ref = $3) AND ($4::timestamptz IS NULL OR created_at < $4)
        ORDER BY created_at DESC, id LIMIT $5`,
      [
        filter.type ?? null,
        filter.status ?? null,
        filter.externalRef ?? null,
        filter.createdBefore ?? null,
        filter.limit,
      ],
    );
    return rows.map(toTask);
  }

  /** Deletes SUCCEEDED tasks (and their history) last changed more than `retentionMs` ago. */
  async prune(retentionMs: number): Promise<number> {
    const rows: Row[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM ${this.t.tasks}
          WHERE status = 'SUCCEEDED' AND updated_at < now() - $1 * interval '1 millisecond' RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retentionMs],
    );
    return rows[0].n as number;
  }

  /** Counts by type and status, and the age of the oldest PENDING task by type (for metrics). */
  async snapshot(): Promise<{
    counts: Array<{ type: string; status: TaskStatus; count: number }>;
    oldestPendingAgeSeconds: Map<string, number>;
  }> {
    const counts: Row[] = await this.dataSource.query(
      `SELECT type, status, count(*)::int AS count FROM ${this.t.tasks} GROUP BY type, status`,
    );
    const ages: Row[] = await this.dataSource.query(
      `SELECT type, extract(epoch FROM now() - min(created_at))::float8 AS age
         FROM ${this.t.tasks} WHERE status = 'PENDING' GROUP BY type`,
    );
    return {
      counts: counts.map((r) => ({
        type: r.type as string,
        status: r.status as TaskStatus,
        count: r.count as number,
      })),
      oldestPendingAgeSeconds: new Map(ages.map((r) => [r.type as string, r.age as number])),
    };
  }
}

function toTask(r: Row): TaskRecord {
  return {
    id: r.id as string,
    type: r.type as string,
    externalRef: (r.external_ref as string | null) ?? null,
    status: r.status as TaskStatus,
    attempts: r.attempts as number,
    maxAttempts: r.max_attempts as number,
    nextAttemptAt: r.next_attempt_at as Date,
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseExpiresAt: (r.lease_expires_at as Date | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    data: (r.data as Record<string, unknown>) ?? {},
    result: r.result ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
