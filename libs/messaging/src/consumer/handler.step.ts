import { OutboxWriter } from '@troupe/outbox';
import { EntityManager } from 'typeorm';
import { unavailableDependency } from '../errors/infrastructure-unavailable.error';
import { AttemptDeadline } from './attempt-deadline';
import { EventContext } from './event-context';
import { Envelope, Result, failed } from './envelope';
import { Step } from './middleware/middleware';

/**
 * The innermost step: calls the envelope's handler with its context. What the handler throws
 * becomes a `failed` result, except a lost database connection, which is thrown on as the
 * infrastructure failure it is (never an attempt of the event's).
 */
export function handlerStep(writer: OutboxWriter): Step {
  return async (envelope) => {
    const { received, handler } = envelope;
    if (!received?.event || !handler) throw new Error('handler step reached without a decoded event and its handler');
    const started = process.hrtime.bigint();
    try {
      await handler.handle(received.event, contextOf(envelope, writer));
    } catch (error) {
      const unavailable = unavailableDependency(error);
      if (unavailable) throw unavailable;
      return failed(error);
    }
    return { outcome: 'handled', seconds: Number(process.hrtime.bigint() - started) / 1e9 } satisfies Result;
  };
}

/** The EventContext of an envelope's attempt (its transaction refused once the attempt's deadline expired). */
export function contextOf(envelope: Envelope, writer: OutboxWriter): EventContext {
  const { message, attempt, deadline } = envelope;
  const received = envelope.received!;
  const handler = envelope.handler!;
  const tx = envelope.scope.tx;
  let guarded: EntityManager | undefined;
  const transaction = (): EntityManager => {
    if (!tx) throw new Error(`${handler.name}: broadcast handlers run without a transaction (ctx.tx, ctx.publish are for delivery 'once')`);
    return deadline ? (guarded ??= revocable(tx, deadline, handler.name)) : tx;
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
    group: handler.group,
    attempt,
    get signal() {
      return (deadline ?? new AttemptDeadline()).signal;
    },
    get tx() {
      return transaction();
    },
    publish: (event, options) => writer.add(transaction(), event, { correlationId: received.correlationId, causationId: received.eventId, ...options }),
  };
}

/** The transaction, refusing use once the attempt's deadline expired (it timed out: rolled back). */
function revocable(tx: EntityManager, deadline: AttemptDeadline, handlerName: string): EntityManager {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (deadline.expired) throw new Error(`${handlerName}: the attempt timed out and its transaction was rolled back; ctx.tx is no longer usable`);
      return Reflect.get(target, property, receiver);
    },
  });
}
