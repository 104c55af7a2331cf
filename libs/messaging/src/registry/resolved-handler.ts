import { EventClass } from '@troupe/schemas';
import { BatchHandlerFunction, Delivery, HandlerEffects, HandlerFunction } from './handler-registration';
import { RetryOptions } from './retry.options';

/** A handler as the consumer runs it: its options resolved and validated at boot. */
export interface ResolvedHandler {
  readonly event: EventClass;
  /** The group as declared: names the dead-letter topic and is the EventContext's group. */
  readonly group: string;
  /** The consumer group id it runs in: `group`, or `<group>.<instanceId>` for broadcast. */
  readonly groupId: string;
  readonly delivery: Delivery;
  readonly retry: Required<RetryOptions>;
  /** Longest one attempt may take before it counts as a retriable failure. */
  readonly timeoutMs: number;
  /** May be applied again for an event the group already handled (replay in 'reprocess' mode). */
  readonly reapplicable: boolean;
  /** 'transaction': every effect goes through ctx.tx, so a run of its events shares one savepoint. */
  readonly effects: HandlerEffects;
  /** For logs and errors: `PaymentsHandlers.charge`. */
  readonly name: string;
  /** One event (for a batch handler: a batch of one, `alone`). */
  readonly handle: HandlerFunction;
  /** Set for batch handlers: the chunk's events in one call. */
  readonly handleBatch?: BatchHandlerFunction;
}
