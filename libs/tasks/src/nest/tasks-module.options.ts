import type { TaskType } from '../definition/task-type';
import type { SubmissionLimits } from '../service/submission.validator';
import type { TaskWorkerOptions } from '../tasks.options';

/** What a service tells the tasks module. */
export interface TasksModuleOptions {
  /** Every task type this service accepts (web) and runs (worker: each needs a @TaskWorker provider). */
  types: readonly TaskType[];
  /** Run a worker in this process, or false for a web-only replica. Default: a worker with its defaults. */
  worker?: TaskWorkerOptions | false;
  /** Bounds of runAt. Default: maxDelayMs 30 days, maxPastMs 1 hour. */
  submissions?: Partial<SubmissionLimits>;
  /** How often event streams look for changes. Default 250 ms. */
  watchIntervalMs?: number;
}

export const TASKS_MODULE_OPTIONS = Symbol('troupe:tasks-options');

export function resolveSubmissionLimits(limits: Partial<SubmissionLimits> = {}): SubmissionLimits {
  const resolved = {
    maxDelayMs: limits.maxDelayMs ?? 30 * 24 * 3600_000,
    maxPastMs: limits.maxPastMs ?? 3600_000,
  };
  for (const [name, value] of Object.entries(resolved))
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`tasks option submissions.${name} must be zero or more, got ${value}`);
  return resolved;
}
