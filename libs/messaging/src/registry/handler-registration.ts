import { EventClass, TroupeEvent } from '@troupe/schemas';
import { BatchContext, BatchItem, EventContext } from '../consumer/event-context';
import { RetryOptions } from './retry.options';

/**
 * `once`: all replicas of the service share the group, so each event is handled once per
 * service, inside a transaction with the inbox. `broadcast`: every replica has its own group
 * (`<group>.<instance id>`), starts at the latest offset and sees every event; no transaction.
 */
export type Delivery = 'once' | 'broadcast';

export interface HandlerOptions {
  /** The consumer group. Default: the service name. Different services must use different groups. */
  group?: string;
  /** Default 'once'. */
  delivery?: Delivery;
  /** Retry policy of this handler; defaults in {@link RetryOptions}. */
  retry?: RetryOptions;
  /**
   * Longest one attempt may take; a slower attempt fails with a retriable `handler-timeout`
   * error and its transaction is rolled back (the handler's `ctx.tx` then refuses further use).
   * Default: TroupeOptions.consumer.handlerTimeoutMs (30000 ms).
   */
  timeoutMs?: number;
  /**
   * The handler may be applied again to an event its group already handled: the compensation
   * app's replay in 'reprocess' mode (for a range a buggy handler got wrong) is offered only for
   * groups whose handlers say so. Its effects must then replace what the first run did. Default false.
   */
  reapplicable?: boolean;
  /**
   * Where the handler's effects go ('once' groups). `'transaction'`: only through `ctx.tx` and
   * `ctx.publish` — no HTTP calls, mail or other effects outside the database. Troupe then runs
   * the handler's events of a chunk one after another in one savepoint, not one savepoint each
   * (one round trip less per event); if one of them fails, the run is rolled back and its events
   * are handled again one at a time, so a handler may run twice for an event whose first run was
   * rolled back (nothing of that run is left). Default `'external'`: each event in its own
   * savepoint, so a handler that succeeded never runs again for that delivery.
   */
  effects?: HandlerEffects;
}

/** See {@link HandlerOptions.effects}. */
export type HandlerEffects = 'transaction' | 'external';

export type HandlerFunction<E extends TroupeEvent = TroupeEvent> = (
  event: E,
  context: EventContext,
) => Promise<unknown> | unknown;

/**
 * A batch handler: the events of one chunk of a partition for this handler, already
 * deduplicated by the inbox, in partition order, in one transaction. If it fails, the same
 * events are handled one at a time (each a batch of one) with the per-event failure policy.
 */
export type BatchHandlerFunction<E extends TroupeEvent = TroupeEvent> = (
  items: readonly BatchItem<E>[],
  batch: BatchContext,
) => Promise<unknown> | unknown;

/** One handler, as the runtime sees it (the Nest layer builds these from @OnEvent / @OnEventBatch). */
export interface HandlerRegistration {
  event: EventClass;
  group: string;
  delivery: Delivery;
  retry: RetryOptions;
  timeoutMs?: number;
  reapplicable?: boolean;
  effects?: HandlerEffects;
  /** For logs and errors: `PaymentsHandlers.charge`. */
  name: string;
  /** Exactly one of `handle` (one event per call) and `handleBatch` (a chunk's events per call). */
  handle?: HandlerFunction;
  handleBatch?: BatchHandlerFunction;
}
