import { isRetriable } from '@troupe/schemas';
import { RetryOptions, retryDelay } from '../registry/retry.options';

export type FailureDecision =
  | { action: 'retry-in-place'; delayMs: number }
  | { action: 'park'; delayMs: number }
  | { action: 'dead-letter' };

/**
 * What to do after attempt `attempt` (from 1) failed with `error`. Non-retriable errors and
 * spent attempts dead-letter. Short waits happen in place (the partition waits, heartbeating);
 * a wait longer than `inPlaceMaxDelayMs` parks the event so the partition moves on — unless
 * parking is impossible (broadcast groups have no database), then it waits in place too.
 */
export function decideAfterFailure(
  error: unknown,
  attempt: number,
  retry: Required<RetryOptions>,
  inPlaceMaxDelayMs: number,
  canPark: boolean,
): FailureDecision {
  if (!isRetriable(error) || attempt >= retry.maxAttempts) return { action: 'dead-letter' };
  const delayMs = retryDelay(retry, attempt);
  return canPark && delayMs > inPlaceMaxDelayMs ? { action: 'park', delayMs } : { action: 'retry-in-place', delayMs };
}
