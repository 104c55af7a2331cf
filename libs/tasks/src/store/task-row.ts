import type { TaskStatus } from '../task-status';

/** One attempt as the task's history keeps it. */
export interface TaskAttempt {
  attempt: number;
  worker: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'succeeded' | 'failed' | 'retry' | 'lease-expired' | 'interrupted';
  error?: string;
  /** When the next attempt may start, for outcome retry / lease-expired. */
  retryAt?: string;
}

/** A task as stored (the columns the API shows). */
export interface TaskRecord {
  id: string;
  type: string;
  priority: number;
  status: TaskStatus;
  payload: unknown;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  progress: { percent: number; message: string | null; at: Date } | null;
  result: unknown;
  error: string | null;
  history: TaskAttempt[];
  submittedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export const TASK_COLUMNS =
  'id, type, priority, status, payload, run_at, attempts, max_attempts, idempotency_key, progress_percent, progress_message, progress_at, result, error, history, submitted_at, started_at, finished_at, updated_at';

export function toTaskRecord(row: Record<string, unknown>): TaskRecord {
  return {
    id: row.id as string,
    type: row.type as string,
    priority: Number(row.priority),
    status: row.status as TaskStatus,
    payload: row.payload,
    runAt: row.run_at as Date,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    progress:
      row.progress_at === null || row.progress_at === undefined
        ? null
        : {
            percent: Number(row.progress_percent),
            message: (row.progress_message as string | null) ?? null,
            at: row.progress_at as Date,
          },
    result: row.result ?? null,
    error: (row.error as string | null) ?? null,
    history: (row.history as TaskAttempt[]) ?? [],
    submittedAt: row.submitted_at as Date,
    startedAt: (row.started_at as Date | null) ?? null,
    finishedAt: (row.finished_at as Date | null) ?? null,
    updatedAt: row.updated_at as Date,
  };
}
