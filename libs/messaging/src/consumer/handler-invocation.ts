import { runWithTrace } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { EntityManager } from 'typeorm';
import { EventContext } from './event-context';
import { HandlerRegistration } from './handler-registration';
import { ReceivedEvent } from './received-event';

/** One event for one handler, on one attempt. */
export interface Invocation {
  readonly received: ReceivedEvent;
  readonly registration: HandlerRegistration;
  readonly attempt: number;
}

/**
 * Calls the handler with its context, inside the event's trace context so that logs and events
 * published through the outbox carry the correlation id and this event as their cause.
 */
export async function invokeHandler(invocation: Invocation, tx: EntityManager | undefined, writer: OutboxWriter): Promise<void> {
  const { received, registration, attempt } = invocation;
  const context = buildContext(received, registration, attempt, tx, writer);
  await runWithTrace({ correlationId: received.correlationId, causationId: received.eventId, traceparent: received.traceparent }, () =>
    registration.handle(received.event!, context),
  );
}

function buildContext(
  received: ReceivedEvent,
  registration: HandlerRegistration,
  attempt: number,
  tx: EntityManager | undefined,
  writer: OutboxWriter,
): EventContext {
  const { message } = received;
  const transaction = () => {
    if (!tx) throw new Error(`${registration.name}: broadcast handlers run without a transaction (ctx.tx, ctx.publish are for delivery 'once')`);
    return tx;
  };
  return {
    eventId: received.eventId,
    eventType: received.eventType,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    occurredAt: received.occurredAt,
    correlationId: received.correlationId,
    causationId: received.causationId,
    traceparent: received.traceparent,
    producer: received.producer,
    group: registration.group,
    attempt,
    get tx() {
      return transaction();
    },
    publish: (event, options) =>
      writer.add(transaction(), event, { correlationId: received.correlationId, causationId: received.eventId, ...options }),
  };
}
