import { AddOptions, AddedEvent } from '@troupe/outbox';
import { TroupeEvent } from '@troupe/schemas';
import { EntityManager } from 'typeorm';

/** What a handler knows about the event it handles, and how it acts. */
export interface EventContext {
  readonly eventId: string;
  readonly eventType: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly occurredAt: Date;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  /** The service that published the event (ce_source). */
  readonly producer?: string;
  /** The consumer group handling it. */
  readonly group: string;
  /** 1 on the first try. */
  readonly attempt: number;
  /** Aborted when this attempt timed out (handler timeoutMs): stop work, pass it to fetch() and the like. */
  readonly signal: AbortSignal;
  /**
   * The transaction the handler runs in: the inbox row is already in it, and everything it
   * writes commits together with it. Not available to broadcast handlers.
   */
  readonly tx: EntityManager;
  /** Appends an event to the outbox in {@link tx}, carrying this event's correlation id and itself as cause. */
  publish(event: TroupeEvent, options?: AddOptions): Promise<AddedEvent>;
}

/** One event of a batch, with the context a per-event handler would have been given. */
export interface BatchItem<E extends TroupeEvent = TroupeEvent> {
  readonly event: E;
  readonly ctx: EventContext;
}

/** What a batch handler (`@OnEventBatch`) knows about its batch, and how it acts. */
export interface BatchContext {
  /**
   * The chunk's transaction: the inbox rows of every item are already in it, and everything the
   * handler writes commits together with them (each item's `ctx.tx` is the same transaction).
   */
  readonly tx: EntityManager;
  /** The consumer group handling it. */
  readonly group: string;
  /** Aborted when this attempt at the batch timed out (the handler's timeoutMs, for the whole batch). */
  readonly signal: AbortSignal;
  /**
   * True when the handler is called with a single event because a batch failed (or the event is
   * retried alone, from the parking lot or a replay). Items are then handled one at a time.
   */
  readonly alone: boolean;
}
