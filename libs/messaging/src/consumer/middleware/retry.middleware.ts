import { TroupeMetrics } from '@troupe/observability';
import { isTransactionConflict } from '../chunk-transaction';
import { ABANDONED, DEFERRED, Envelope, PARKED, Result } from '../envelope';
import { decideAfterFailure } from '../failure-decision';
import { Middleware } from './middleware';

/**
 * Retries failed attempts with exponential back-off and jitter: short waits in place (the
 * partition waits, heartbeating), longer ones park the event where it came from so the
 * partition moves on. When attempts are spent or the error is not retriable, the failure goes
 * out (with its attempts) to the dead-letter middleware. The decision itself is the pure
 * {@link decideAfterFailure}; fresh and parked events differ only in their origin.
 *
 * A conflict with another transaction (deadlock, serialization failure, lock timeout) after
 * earlier events of the chunk were applied is not retried in place: the chunk's transaction
 * holds their locks, which is likely what the other side waits for. The event is deferred: the
 * chunk commits without it, releasing the locks, and the next chunk starts with it.
 */
export function retryAndPark(metrics: TroupeMetrics, groupId: string): Middleware {
  return (next) => async (first) => {
    let envelope: Envelope = first;
    for (;;) {
      const result: Result = await next(envelope);
      if (result.outcome !== 'failed' || !envelope.handler) return result;
      const { handler, origin, attempt } = envelope;
      if (envelope.scope.tx && envelope.scope.settled > 0 && isTransactionConflict(result.error)) {
        metrics.retried(groupId, handler.event.eventType);
        return DEFERRED;
      }
      const firstFailureAt = envelope.firstFailureAt ?? new Date();
      const state = { error: result.error, attempts: attempt, firstFailureAt };
      const decision = decideAfterFailure(result.error, attempt, handler.retry, origin.inPlaceMaxDelayMs, origin.canPark);
      if (decision.action === 'dead-letter') return { ...result, state };
      const type = handler.event.eventType;
      metrics.consumedEvent(groupId, type, 'failed');
      metrics.retried(groupId, type);
      if (decision.action === 'park') {
        await origin.park(envelope, state, new Date(Date.now() + decision.delayMs));
        return PARKED;
      }
      if (!(await origin.pause(decision.delayMs))) return ABANDONED;
      envelope = { ...envelope, attempt: attempt + 1, firstFailureAt };
    }
  };
}
