import type { TaskPriority } from '../task-priority';

/** What a handler gets besides its payload, for one attempt. */
export interface TaskContext {
  readonly taskId: string;
  readonly type: string;
  readonly priority: TaskPriority;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /**
   * What the last `progress(…, checkpoint)` of an earlier attempt saved, or undefined: a retry
   * resumes from here instead of redoing what is done.
   */
  readonly checkpoint: unknown;
  /**
   * Aborted when this worker lost the task's lease (another attempt may run it) or is stopping
   * past its grace period: stop as soon as you can; the outcome is not recorded.
   */
  readonly signal: AbortSignal;
  /**
   * Records progress (percent 0–100, a short message), visible in GET and the event stream.
   * With `checkpoint` (JSON), it is saved for a retry. Resolves once stored; rejects with
   * LeaseLostError when the task is no longer this attempt's.
   */
  progress(percent: number, message?: string, checkpoint?: unknown): Promise<void>;
  /** Takes `units` of the type's rate limit (shared by every replica), waiting until they are free. */
  rateLimit(units?: number): Promise<void>;
}

/** A type's handler: runs one attempt and returns the result (JSON), or throws. */
export interface TaskHandler<P extends object = object, R = unknown> {
  run(payload: P, ctx: TaskContext): Promise<R>;
}
