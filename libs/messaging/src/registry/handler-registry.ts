import { EventClass } from '@troupe/schemas';
import { TopicNaming } from '../topology/topic-naming';
import { BatchHandlerFunction, Delivery, HandlerFunction, HandlerRegistration } from './handler-registration';
import { ResolvedHandler } from './resolved-handler';
import { resolveRetry } from './retry.options';

/** The handlers of one consumer group, by event type. */
export interface GroupHandlers {
  readonly groupId: string;
  /** The group as declared (names its dead-letter topic). */
  readonly group: string;
  readonly delivery: Delivery;
  readonly byType: ReadonlyMap<string, ResolvedHandler>;
  /** The physical topics the group subscribes to: its events' topics, and for 'once' groups its replay topic. */
  readonly topics: readonly string[];
  /** 'once' groups: where the compensation app re-delivers events to this group only. */
  readonly replayTopic?: string;
}

/**
 * Every handler of a service, validated as it is added (before anything connects), so a bad
 * retry policy, timeout or a clash stops start-up with a message naming the handler.
 */
export class HandlerRegistry {
  private readonly handlers: ResolvedHandler[] = [];
  private sealed = false;

  constructor(
    private readonly naming: TopicNaming,
    private readonly defaults: { timeoutMs: number },
  ) {}

  add(registration: HandlerRegistration): ResolvedHandler {
    if (this.sealed) throw new Error('handlers must be added before start()');
    const { name } = registration;
    const retry = resolveRetry(registration.retry, name);
    const timeoutMs = registration.timeoutMs ?? this.defaults.timeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new Error(`timeoutMs of handler ${name} must be a positive number, got ${timeoutMs}`);
    }
    if (registration.delivery === 'broadcast' && registration.reapplicable) {
      throw new Error(`reapplicable of handler ${name} needs delivery 'once' (only 'once' groups are replayed)`);
    }
    if ((registration.handle === undefined) === (registration.handleBatch === undefined)) {
      throw new Error(`handler ${name} needs exactly one of handle and handleBatch`);
    }
    const effects = registration.effects ?? 'external';
    if (effects !== 'transaction' && effects !== 'external') {
      throw new Error(`effects of handler ${name} must be 'transaction' or 'external', got ${JSON.stringify(registration.effects)}`);
    }
    if (registration.delivery === 'broadcast' && effects === 'transaction') {
      throw new Error(`effects 'transaction' of handler ${name} needs delivery 'once' (broadcast handlers run without a transaction)`);
    }
    if (registration.delivery === 'broadcast' && registration.handleBatch) {
      throw new Error(`batch handler ${name} needs delivery 'once' (a batch shares the chunk's transaction)`);
    }
    if (registration.delivery === 'broadcast' && retry.keyAfterDeadLetter === 'hold') {
      throw new Error(`retry.keyAfterDeadLetter 'hold' of handler ${name} needs delivery 'once'`);
    }
    const handler: ResolvedHandler = {
      event: registration.event,
      group: registration.group,
      groupId: this.naming.groupId(registration.group, registration.delivery),
      delivery: registration.delivery,
      retry,
      timeoutMs,
      reapplicable: registration.reapplicable === true,
      effects,
      name,
      handle: registration.handle ?? alone(registration.handleBatch!),
      handleBatch: registration.handleBatch,
    };
    const clash = this.handlers.find((h) => h.groupId === handler.groupId && h.event.eventType === handler.event.eventType);
    if (clash) {
      throw new Error(
        `${name} and ${clash.name} both handle ${handler.event.eventType} in group ${handler.group}; one handler per event type and group`,
      );
    }
    this.handlers.push(handler);
    return handler;
  }

  /** No more handlers from now on (the runtime calls this when it starts). */
  seal(): void {
    this.sealed = true;
  }

  get all(): readonly ResolvedHandler[] {
    return this.handlers;
  }

  /** Event classes any handler consumes. */
  events(): EventClass[] {
    return [...new Set(this.handlers.map((h) => h.event))];
  }

  /** The groups, each with its handlers, in the order their first handler was added. */
  groups(): GroupHandlers[] {
    const byId = new Map<string, ResolvedHandler[]>();
    for (const handler of this.handlers) byId.set(handler.groupId, [...(byId.get(handler.groupId) ?? []), handler]);
    return [...byId.values()].map((handlers) => {
      const { groupId, group, delivery } = handlers[0];
      const replayTopic = delivery === 'once' ? this.naming.replayTopic(group) : undefined;
      const eventTopics = [...new Set(handlers.map((h) => this.naming.eventTopic(h.event)))];
      return {
        groupId,
        group,
        delivery,
        byType: new Map(handlers.map((h) => [h.event.eventType, h])),
        topics: replayTopic ? [...eventTopics, replayTopic] : eventTopics,
        replayTopic,
      };
    });
  }
}

/** A batch handler called with one event: its batch context reads the event's own. */
function alone(handleBatch: BatchHandlerFunction): HandlerFunction {
  return (event, ctx) =>
    handleBatch([{ event, ctx }], {
      get tx() {
        return ctx.tx;
      },
      group: ctx.group,
      get signal() {
        return ctx.signal;
      },
      alone: true,
    });
}
