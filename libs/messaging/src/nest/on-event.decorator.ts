import { SetMetadata } from '@nestjs/common';
import { EventClass, TroupeEvent } from '@troupe/schemas';
import { HandlerOptions } from '../registry/handler-registration';

export const TROUPE_HANDLER = Symbol('troupe:handler');

export interface HandlerMetadata {
  event: EventClass;
  options: HandlerOptions;
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
