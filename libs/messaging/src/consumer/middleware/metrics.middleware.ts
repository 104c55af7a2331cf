import { TroupeMetrics } from '@troupe/observability';
import { Middleware } from './middleware';

/**
 * Counts how each event ended (troupe_events_consumed_total) and how long its handler took
 * (troupe_handler_duration_seconds). Labels are bounded: the type is a declared event type of
 * the group, or `undecodable` — never a header value from the wire. Failed attempts and retries
 * are counted by the retry middleware; parked events count when they are finally handled.
 */
export function outcomeMetrics(metrics: TroupeMetrics, groupId: string): Middleware {
  return (next) => async (envelope) => {
    const result = await next(envelope);
    const type = envelope.handler?.event.eventType ?? 'undecodable';
    if (result.outcome === 'handled') metrics.consumedEvent(groupId, type, 'handled', result.seconds);
    else if (result.outcome === 'duplicate' || result.outcome === 'dead-lettered') metrics.consumedEvent(groupId, type, result.outcome);
    return result;
  };
}
