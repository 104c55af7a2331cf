import type { ResolvedTaskTypeOptions } from '../definition/task-type.options';

/** How an attempt ended, as the worker (or the lease sweeper) saw it. */
export type AttemptEnd =
  | { kind: 'succeeded' }
  | { kind: 'failed'; error: string; retriable: boolean }
  | { kind: 'lease-expired'; error: string }
  /** The worker stopped before the attempt finished: it does not count. */
  | { kind: 'interrupted' };

/** What happens to the task next. */
export type TaskNext =
  | { status: 'SUCCEEDED' }
  | { status: 'FAILED'; error: string }
  | { status: 'PENDING'; retryInMs: number; error: string | null; countsAsAttempt: boolean };

/**
 * The one retry decision, for handler failures and dead workers alike: a permanent error or
 * the last attempt fails the task; otherwise it waits initialBackoffMs × multiplier^(attempt−1)
 * (capped at maxBackoffMs, jittered into its upper half) and runs again. `random` is in [0, 1).
 */
export function nextAfterAttempt(
  attempt: number,
  end: AttemptEnd,
  options: Pick<
    ResolvedTaskTypeOptions,
    'maxAttempts' | 'initialBackoffMs' | 'backoffMultiplier' | 'maxBackoffMs'
  >,
  random: () => number = Math.random,
): TaskNext {
  if (end.kind === 'succeeded') return { status: 'SUCCEEDED' };
  if (end.kind === 'interrupted')
    return { status: 'PENDING', retryInMs: 0, error: null, countsAsAttempt: false };
  const retriable = end.kind === 'lease-expired' || end.retriable;
  if (!retriable || attempt >= options.maxAttempts) return { status: 'FAILED', error: end.error };
  return {
    status: 'PENDING',
    retryInMs: retryDelayMs(attempt, options, random),
    error: end.error,
    countsAsAttempt: true,
  };
}

/** The wait after failed attempt `attempt` (1-based): exponential, capped, jitter in [d/2, d]. */
export function retryDelayMs(
  attempt: number,
  options: Pick<ResolvedTaskTypeOptions, 'initialBackoffMs' | 'backoffMultiplier' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    options.maxBackoffMs,
    options.initialBackoffMs * options.backoffMultiplier ** Math.max(0, attempt - 1),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
