import { AvroRecordSchema, EventClass, TroupeEvent, createEvent } from '@troupe/schemas';

/**
 * An event class like the generated ones, on a topic of the test's choosing, so tests can use
 * fresh topics and schema versions without touching schemas/.
 */
export function defineTestEvent<D extends object>(topic: string, schema: AvroRecordSchema, keyField?: string) {
  const eventType = schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name;
  const TestEvent = class extends TroupeEvent {
    static readonly eventType = eventType;
    static readonly topic = topic;
    static readonly keyField = keyField;
    static readonly schema = schema;
    static of(data: D): TroupeEvent & D {
      return createEvent(TestEvent as unknown as EventClass<TroupeEvent & D>, data);
    }
  };
  Object.defineProperty(TestEvent, 'name', { value: schema.name });
  return TestEvent as typeof TestEvent & EventClass<TroupeEvent & D>;
}
