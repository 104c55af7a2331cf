import type { TaskBackoff } from './task-definition';

/**
 * The wait before the attempt after `failedAttempt` (1 = the first attempt failed):
 * initialDelayMs × multiplier^(failedAttempt − 1), at most maxDelayMs. No jitter: tasks are
 * few and independent, and a predictable schedule is easier to reason about in the history.
 */
export function taskBackoffMs(backoff: Required<TaskBackoff>, failedAttempt: number): number {
  const delay =
    backoff.initialDelayMs * Math.pow(backoff.multiplier, Math.max(0, failedAttempt - 1));
  return Math.min(backoff.maxDelayMs, delay);
}
