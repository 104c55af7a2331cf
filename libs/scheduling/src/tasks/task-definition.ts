/** Exponential back-off between a task's attempts. */
export interface TaskBackoff {
  /** Wait after the first failed attempt. Default 1000 ms. */
  initialDelayMs?: number;
  /** Each further wait is this many times the last. Default 2. */
  multiplier?: number;
  /** No wait is longer. Default 300000 ms (5 min). */
  maxDelayMs?: number;
}

/** A task type as its @TaskHandler decorator declares it. */
export interface TaskTypeDefinition {
  /** Unique among the scheduler's task types; the `type` column of its tasks. */
  type: string;
  /** After this many attempts that failed, the task is FAILED (until retried by hand). Default 5. */
  maxAttempts?: number;
  backoff?: TaskBackoff;
  /**
   * How long a runner holds a task without renewing; it renews every third of this while the
   * attempt runs. A runner that dies loses the task this long after its last renewal, and
   * another replica takes it over (the lost attempt counts). Default 30000 ms.
   */
  leaseMs?: number;
  /** An attempt still going after this long is aborted and counts as failed. Default 60000 ms. */
  timeoutMs?: number;
}

export interface ResolvedTaskTypeDefinition {
  type: string;
  maxAttempts: number;
  backoff: Required<TaskBackoff>;
  leaseMs: number;
  timeoutMs: number;
}

/** PENDING → RUNNING → SUCCEEDED, or back to PENDING (a retry after back-off), or FAILED. */
export type TaskStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** Outcome of one attempt in a task's history. */
export type AttemptOutcome = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'LEASE_EXPIRED';

export const TASK_STATUSES: readonly TaskStatus[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'];
