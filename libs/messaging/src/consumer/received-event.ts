import { AvroCodec, HEADER, REQUIRED_HEADERS, TroupeEvent, UndecodableMessageError } from '@troupe/schemas';
import { IncomingMessage } from '../transport/transport.port';

/** A consumed message, decoded: the event (when this code knows its type) and its metadata. */
export interface ReceivedEvent {
  readonly message: IncomingMessage;
  readonly eventType: string;
  readonly event?: TroupeEvent;
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  readonly producer?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Decodes a message or throws {@link UndecodableMessageError} (non-retriable: it goes to the
 * dead-letter topic at once) when its headers or bytes can never make an event.
 */
export async function receive(codec: AvroCodec, message: IncomingMessage): Promise<ReceivedEvent> {
  const h = message.headers;
  const missing = REQUIRED_HEADERS.filter((name) => !h[name]);
  if (missing.length > 0) throw new UndecodableMessageError('missing-headers', `missing header(s) ${missing.join(', ')}`);
  if (!UUID.test(h[HEADER.eventId])) throw new UndecodableMessageError('missing-headers', `header ${HEADER.eventId} is not a UUID: "${h[HEADER.eventId]}"`);
  const occurredAt = new Date(h[HEADER.occurredAt]);
  if (Number.isNaN(occurredAt.getTime())) throw new UndecodableMessageError('missing-headers', `header ${HEADER.occurredAt} is not a time: "${h[HEADER.occurredAt]}"`);
  const decoded = await codec.decode(message.value);
  if (decoded.eventType !== h[HEADER.eventType]) {
    throw new UndecodableMessageError('body-mismatch', `header ${HEADER.eventType} says ${h[HEADER.eventType]} but the schema is ${decoded.eventType}`);
  }
  return {
    message,
    eventType: decoded.eventType,
    event: decoded.event,
    eventId: h[HEADER.eventId].toLowerCase(),
    occurredAt,
    correlationId: h[HEADER.correlationId] ?? h[HEADER.eventId],
    causationId: h[HEADER.causationId],
    traceparent: h[HEADER.traceparent],
    producer: h[HEADER.source],
  };
}
