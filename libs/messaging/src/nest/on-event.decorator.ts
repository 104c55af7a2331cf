import { SetMetadata } from '@nestjs/common';
import { EventClass, TroupeEvent } from '@troupe/schemas';
import { HandlerOptions } from '../registry/handler-registration';

export const TROUPE_HANDLER = Symbol('troupe:handler');

export interface HandlerMetadata {
  event: EventClass;
  options: HandlerOptions;
  /** Declared with @OnEventBatch: the method takes (items, batch). */
  batch?: boolean;
}

/**
 * Marks a provider method as the handler of one event type in one consumer group:
 *
 * ```ts
 * @OnEvent(OrderPlaced, { group: 'payments' })
 * async charge(event: OrderPlaced, ctx: EventContext) { ... }
 * ```
 *
 * Only metadata is written here; handlers are discovered when the application boots.
 */
export function OnEvent<E extends TroupeEvent>(event: EventClass<E>, options: HandlerOptions = {}): MethodDecorator {
  return SetMetadata<symbol, HandlerMetadata>(TROUPE_HANDLER, { event: event as EventClass, options });
}

/**
 * Marks a provider method as the batch handler of one event type in one consumer group
 * (delivery 'once'): it receives the chunk's events of that type, deduplicated by the inbox, in
 * partition order, in the chunk's transaction, so it can apply them in one statement:
 *
 * ```ts
 * @OnEventBatch(OrderPlaced, { group: 'reporting' })
 * async record(items: readonly BatchItem<OrderPlaced>[], batch: BatchContext) {
 *   await batch.tx.query('INSERT INTO orders_seen (id) SELECT unnest($1::uuid[])', [items.map((i) => i.event.orderId)]);
 * }
 * ```
 *
 * If the batch fails, its events are handled one at a time (a batch of one each, `batch.alone`),
 * so one bad event is retried, parked or dead-lettered alone and per-key order holds.
 */
export function OnEventBatch<E extends TroupeEvent>(event: EventClass<E>, options: HandlerOptions = {}): MethodDecorator {
  return SetMetadata<symbol, HandlerMetadata>(TROUPE_HANDLER, { event: event as EventClass, options, batch: true });
}
