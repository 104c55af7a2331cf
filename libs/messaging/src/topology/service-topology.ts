import { Type } from '@nestjs/common';
import { EventClass } from '@troupe/schemas';
import { Delivery } from '../registry/handler-registration';
import { HandlerMetadata, TROUPE_HANDLER } from '../nest/on-event.decorator';

/**
 * Kafka access a platform role needs beyond what its events and handlers imply:
 * - `write-replay-topics`: produce to every 'once' group's `<group>.replay` (replay, redrive), and
 *   read the event topics it replays from (replay, gap detection).
 * - `read-dead-letter-topics`: read every `<group>.dlq`, with groups of the service's name as prefix
 *   (Read, Delete: its topic readers' throwaway `<service>.reader.<uuid>` groups).
 * - `describe-all`: describe every topic and consumer group (lag exporter, gap detection).
 */
export type PlatformAccess = 'write-replay-topics' | 'read-dead-letter-topics' | 'describe-all';

/**
 * What one service declares about its events, in one place that both its Nest module and the
 * topology generator (`npm run topology`: topics, users, ACLs, autoscaling, AsyncAPI) read, so
 * a handler cannot ship without its topic and ACL. The module passes `publishes` to
 * TroupeModule and lists `handlers` among its providers.
 */
export interface ServiceTopology {
  /** The service's name as deployed: its Kafka user, ce_source and default consumer group. */
  readonly service: string;
  /** The event classes it publishes. */
  readonly publishes: readonly EventClass[];
  /** The provider classes whose methods carry @OnEvent. */
  readonly handlers: readonly Type[];
  /** Access for platform roles; business services need none. */
  readonly platformAccess?: readonly PlatformAccess[];
  /**
   * Groups that read events through the Transport port directly, without @OnEvent (no inbox,
   * dead letters or replay): e.g. the task workers' wake-ups. They need their topics and group.
   */
  readonly directGroups?: ReadonlyArray<{ readonly group: string; readonly events: readonly EventClass[] }>;
}

/** One @OnEvent method as declared, the group resolved as the runtime resolves it. */
export interface DeclaredHandler {
  readonly event: EventClass;
  /** The declared group (broadcast groups run as `<group>.<instance id>`). */
  readonly group: string;
  readonly delivery: Delivery;
  /** `OrderOutcomeHandler.paymentFailed`. */
  readonly name: string;
}

/**
 * The handlers a topology's classes declare, read from @OnEvent metadata without creating the
 * classes (nothing connects anywhere). Defaults as in the runtime: group = service, 'once'.
 */
export function declaredHandlers(topology: ServiceTopology): DeclaredHandler[] {
  const found: DeclaredHandler[] = [];
  for (const type of topology.handlers) {
    const prototype = type.prototype as Record<string, unknown>;
    for (const name of methodNames(prototype)) {
      const metadata = Reflect.getMetadata(TROUPE_HANDLER, prototype[name] as object) as
        HandlerMetadata | undefined;
      if (!metadata) continue;
      found.push({
        event: metadata.event,
        group: metadata.options.group ?? topology.service,
        delivery: metadata.options.delivery ?? 'once',
        name: `${type.name}.${name}`,
      });
    }
  }
  return found;
}

/** Whether a class has any @OnEvent method (for checks that every handler class is declared). */
export function hasEventHandlers(type: Type): boolean {
  const prototype = type.prototype as Record<string, unknown>;
  return methodNames(prototype).some(
    (name) => Reflect.getMetadata(TROUPE_HANDLER, prototype[name] as object) !== undefined,
  );
}

function methodNames(prototype: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const descriptor = Object.getOwnPropertyDescriptor(p, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}
