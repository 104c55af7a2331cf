/** An Avro record schema as JSON (the `.avsc` content without Troupe's own attributes). */
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: ReadonlyArray<{ name: string; type: unknown; default?: unknown; doc?: string }>;
}

/**
 * Base of every generated event class. An instance carries the record's fields as its own
 * properties; the class carries the event's identity as statics (see {@link EventClass}).
 */
export abstract class TroupeEvent {
  /** The event's type: the Avro record's full name, e.g. `troupe.orders.OrderPlaced`. */
  get eventType(): string {
    return (this.constructor as EventClass).eventType;
  }

  /** The record as a plain object, the shape the Avro encoder takes. */
  toRecord(): Record<string, unknown> {
    return { ...this } as Record<string, unknown>;
  }
}

/**
 * What a generated event class offers (`npm run schemas:gen` writes these from schemas/).
 * Application code names events by their class: `OrderPlaced.of({...})`, `@OnEvent(OrderPlaced)`.
 */
export interface EventClass<E extends TroupeEvent = TroupeEvent> {
  new (): E;
  /** The Avro record's full name, e.g. `troupe.orders.OrderPlaced`; also the ce_type header. */
  readonly eventType: string;
  /** The aggregate stream the event is published on, e.g. `orders.order.events`. */
  readonly topic: string;
  /** The record field whose value is the message key (the aggregate id), when the schema names one. */
  readonly keyField?: string;
  /** The reader schema: what this code version understands. */
  readonly schema: AvroRecordSchema;
}

/** Builds an event instance from its data: generated `of()` methods call this. */
export function createEvent<E extends TroupeEvent>(type: EventClass<E>, data: object): E {
  return Object.assign(new type(), data);
}

/** The key of an event: its schema's key field when it has one. */
export function defaultKeyOf(event: TroupeEvent): string | undefined {
  const field = (event.constructor as EventClass).keyField;
  if (!field) return undefined;
  const value = (event as unknown as Record<string, unknown>)[field];
  return value === undefined || value === null ? undefined : String(value);
}
