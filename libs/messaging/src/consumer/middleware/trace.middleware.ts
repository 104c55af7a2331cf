import { runWithTrace } from '@troupe/observability';
import { Middleware } from './middleware';

/**
 * Runs what is inside in the event's trace context, so log lines and events the handler
 * publishes through the outbox carry its correlation id and the event as their cause.
 */
export const traceContext: Middleware = (next) => (envelope) => {
  const { received } = envelope;
  if (!received) return next(envelope);
  return runWithTrace({ correlationId: received.correlationId, causationId: received.eventId, traceparent: received.traceparent }, () =>
    next(envelope),
  );
};
