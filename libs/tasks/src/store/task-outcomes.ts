import { OutboxWriter } from '@troupe/outbox';
import { TaskFailed, TaskSucceeded, TroupeEvent } from '@troupe/schemas';
import { DataSource, EntityManager } from 'typeorm';
import type { TaskNext } from '../policy/attempt-outcome.policy';
import type { TaskStatus } from '../task-status';
import type { TaskAttempt } from './task-row';
import { taskTables } from './task-tables';
import { updatedRows } from './updated-rows';

/** An ended attempt, ready to store. */
export interface AttemptRecord {
  id: string;
  attempt: number;
  /** The worker that held it: the write is fenced by (claimed_by, attempts). */
  claimedBy: string;
  next: TaskNext;
  /** The result as JSON, for SUCCEEDED. */
  resultJson: string | null;
  entry: TaskAttempt;
}

/** What storing an attempt changed (only attempts that still held their task). */
export interface StoredOutcome {
  id: string;
  type: string;
  priority: number;
  status: TaskStatus;
  attempts: number;
  submittedAt: Date;
  finishedAt: Date | null;
}

/**
 * Stores ended attempts: the task's next status, its history entry, and for a final status its
 * TaskSucceeded / TaskFailed, in one transaction per batch. Used by the workers (their own
 * attempts) and the lease sweeper (attempts whose worker died): one door for every outcome.
 */
export class TaskOutcomes {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {
    this.table = taskTables(dataSource).tasks;
  }

  store(records: readonly AttemptRecord[]): Promise<StoredOutcome[]> {
    if (records.length === 0) return Promise.resolve([]);
    return this.dataSource.transaction((tx) => this.storeIn(tx, records));
  }

  /**
   * Ends attempts whose lease expired (their worker died or hangs), deciding each with `decide`;
   * at most `limit` per call, skipping rows another sweeper holds.
   */
  async sweepExpired(
    limit: number,
    decide: (task: { type: string; attempt: number; maxAttempts: number }) => TaskNext,
  ): Promise<StoredOutcome[]> {
    return this.dataSource.transaction(async (tx) => {
      const expired: Array<Record<string, unknown>> = await tx.query(
        `SELECT id, type, attempts, max_attempts, claimed_by, lease_expires_at, started_at FROM ${this.table}
          WHERE status = 'RUNNING' AND lease_expires_at < now()
          ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (expired.length === 0) return [];
      const now = new Date().toISOString();
      const records = expired.map((row): AttemptRecord => {
        const attempt = Number(row.attempts);
        const next = decide({
          type: row.type as string,
          attempt,
          maxAttempts: Number(row.max_attempts),
        });
        const error = `lease expired: worker ${row.claimed_by} stopped renewing it`;
        return {
          id: row.id as string,
          attempt,
          claimedBy: row.claimed_by as string,
          next: next.status === 'FAILED' ? { status: 'FAILED', error } : next,
          resultJson: null,
          entry: {
            attempt,
            worker: row.claimed_by as string,
            startedAt: (row.started_at as Date).toISOString(),
            finishedAt: now,
            outcome: 'lease-expired',
            error,
            ...(next.status === 'PENDING'
              ? { retryAt: new Date(Date.now() + next.retryInMs).toISOString() }
              : {}),
          },
        };
      });
      return this.storeIn(tx, records);
    });
  }

  private async storeIn(
    tx: EntityManager,
    records: readonly AttemptRecord[],
  ): Promise<StoredOutcome[]> {
    const rows: Array<Record<string, unknown>> = updatedRows(
      await tx.query(
        `UPDATE ${this.table} t SET
          status = u.status,
          result = u.result::jsonb,
          error = u.error,
          history = t.history || jsonb_build_array(u.entry::jsonb),
          run_at = CASE WHEN u.status = 'PENDING' THEN now() + u.retry_in_ms * interval '1 millisecond' ELSE t.run_at END,
          attempts = t.attempts - u.uncount,
          finished_at = CASE WHEN u.status IN ('SUCCEEDED', 'FAILED') THEN now() END,
          progress_percent = CASE WHEN u.status = 'SUCCEEDED' THEN 100 ELSE t.progress_percent END,
          progress_at = CASE WHEN u.status = 'SUCCEEDED' THEN now() ELSE t.progress_at END,
          claimed_by = NULL, lease_expires_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[])
           AS u(id, attempt, claimed_by, status, result, error, entry, retry_in_ms, uncount)
        WHERE t.id = u.id AND t.status = 'RUNNING' AND t.claimed_by = u.claimed_by AND t.attempts = u.attempt
       RETURNING t.id, t.type, t.priority, t.status, t.attempts, t.submitted_at, t.finished_at, t.result::text AS result, t.error`,
        [
          records.map((r) => r.id),
          records.map((r) => r.attempt),
          records.map((r) => r.claimedBy),
          records.map((r) => r.next.status),
          records.map((r) => r.resultJson),
          records.map((r) => (r.next.status === 'SUCCEEDED' ? null : r.next.error)),
          records.map((r) => JSON.stringify(r.entry)),
          records.map((r) => (r.next.status === 'PENDING' ? r.next.retryInMs : 0)),
          records.map((r) => (r.next.status === 'PENDING' && !r.next.countsAsAttempt ? 1 : 0)),
        ],
      ),
    );
    const events = rows.flatMap((row): Array<{ event: TroupeEvent }> => {
      const common = {
        taskId: row.id as string,
        taskType: row.type as string,
        attempts: Number(row.attempts),
        submittedAt: (row.submitted_at as Date).getTime(),
        finishedAt: (row.finished_at as Date | null)?.getTime() ?? Date.now(),
      };
      if (row.status === 'SUCCEEDED')
        return [
          { event: TaskSucceeded.of({ ...common, result: (row.result as string | null) ?? null }) },
        ];
      if (row.status === 'FAILED')
        return [{ event: TaskFailed.of({ ...common, error: (row.error as string) ?? '' }) }];
      return [];
    });
    if (events.length > 0) await this.outbox.addAll(tx, events);
    return rows.map((row) => ({
      id: row.id as string,
      type: row.type as string,
      priority: Number(row.priority),
      status: row.status as TaskStatus,
      attempts: Number(row.attempts),
      submittedAt: row.submitted_at as Date,
      finishedAt: (row.finished_at as Date | null) ?? null,
    }));
  }
}
