/**
 * A task's life: PENDING (waiting, possibly for its runAt or a retry's back-off) → RUNNING (a
 * worker holds its lease) → SUCCEEDED or FAILED; a PENDING task can be CANCELLED instead.
 * A RUNNING task whose attempt fails (or whose worker dies) goes back to PENDING while
 * attempts remain.
 */
export const TASK_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
]);

export function isFinal(status: TaskStatus): boolean {
  return FINAL_STATUSES.has(status);
}
