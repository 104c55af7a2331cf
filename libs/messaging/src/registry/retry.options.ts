/** Retry policy of one handler. Defaults are those of {@link DEFAULT_RETRY}. */
export interface RetryOptions {
  /** Attempts in all, the first included, before the event is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Wait before the second attempt. Default 200 ms. */
  initialDelayMs?: number;
  /** Each further wait is the previous one times this. Default 2. */
  multiplier?: number;
  /** No wait is longer than this. Default 60000 ms. */
  maxDelayMs?: number;
  /**
   * What later events of the same key do once an event was dead-lettered. 'continue' (default):
   * they are handled as usual. 'hold': they wait until the key is released
   * (TroupeRuntime.releaseKey, e.g. after the dead letter was redriven). Needs delivery 'once'.
   */
  keyAfterDeadLetter?: 'continue' | 'hold';
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 5,
  initialDelayMs: 200,
  multiplier: 2,
  maxDelayMs: 60_000,
  keyAfterDeadLetter: 'continue',
};

/** Fills defaults and rejects nonsense with a message naming the setting and the handler. */
export function resolveRetry(options: RetryOptions | undefined, handlerName: string): Required<RetryOptions> {
  const resolved = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) };
  const fail = (setting: string, rule: string) => {
    throw new Error(`retry.${setting} of handler ${handlerName} ${rule}, got ${resolved[setting as keyof RetryOptions]}`);
  };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) fail('maxAttempts', 'must be an integer of at least 1');
  if (!(resolved.initialDelayMs >= 0)) fail('initialDelayMs', 'must be zero or more');
  if (!(resolved.multiplier >= 1)) fail('multiplier', 'must be at least 1');
  if (!(resolved.maxDelayMs >= resolved.initialDelayMs)) fail('maxDelayMs', 'must be at least initialDelayMs');
  if (!['continue', 'hold'].includes(resolved.keyAfterDeadLetter)) fail('keyAfterDeadLetter', "must be 'continue' or 'hold'");
  return resolved;
}

/** The wait before attempt `attempt + 1` (attempt counts from 1), with jitter in [d/2, d]. */
export function retryDelay(retry: Required<RetryOptions>, attempt: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.multiplier ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
