import { TroupeMetrics } from '@troupe/observability';
import { ParkingLot } from '@troupe/outbox';
import { AvroCodec } from '@troupe/schemas';
import { DeadLetters } from './dead-letters';
import { HandlerRegistration } from './handler-registration';
import { Applier, InboxTransaction } from './inbox-transaction';

/** What every part of one consumer group's pipeline shares. */
export interface GroupContext {
  /** The consumer group id (inbox rows, parking lot rows and metrics use it). */
  group: string;
  /** The group as handlers declare it; names the dead-letter topic (broadcast ids carry a suffix). */
  declaredGroup: string;
  /** Handlers of the group by event type. */
  handlers: ReadonlyMap<string, HandlerRegistration>;
  codec: AvroCodec;
  applier: Applier;
  /** Present for 'once' groups: the transactional applier. */
  inbox?: InboxTransaction;
  /** Present for 'once' groups: where long retries wait. */
  parking?: ParkingLot;
  deadLetters: DeadLetters;
  metrics: TroupeMetrics;
  settings: {
    /** Events applied per database transaction on the fast path. */
    chunkSize: number;
    /** Retry waits up to this long happen in place; longer ones park the event. */
    inPlaceRetryMaxDelayMs: number;
    /** How often the parking lot is polled for due events. */
    parkingPollIntervalMs: number;
  };
  log: (message: string, error?: unknown) => void;
}
