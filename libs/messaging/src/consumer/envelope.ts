import { EntityManager } from 'typeorm';
import { ResolvedHandler } from '../registry/resolved-handler';
import { IncomingMessage } from '../transport/transport.port';
import { AttemptDeadline } from './attempt-deadline';
import { ReceivedEvent } from './received-event';

/**
 * One message on its way through a group's pipeline, on one attempt. `received` is set when the
 * message decoded and a handler of the group wants it; `undecodable` when it can never decode.
 */
export interface Envelope {
  readonly message: IncomingMessage;
  readonly received?: ReceivedEvent;
  readonly handler?: ResolvedHandler;
  /** Why the message can never become an event (it goes to the dead-letter topic at once). */
  readonly undecodable?: unknown;
  /** 1 on the first try. */
  readonly attempt: number;
  readonly firstFailureAt?: Date;
  /** Where the envelope came from, and what parking, holding and waiting mean there. */
  readonly origin: EnvelopeOrigin;
  /** The unit of work the envelope runs in ('once' groups: its database transaction). */
  readonly scope: ChunkScope;
  /** Expires when the attempt timed out: the handler should stop, its transaction is gone. */
  readonly deadline?: AttemptDeadline;
}

/** An envelope before it joins a chunk. */
export type UnscopedEnvelope = Omit<Envelope, 'scope'>;

/** A delivery that decoded and has a handler: what the middleware inside the inbox sees. */
export type HandledEnvelope = Envelope & { readonly received: ReceivedEvent; readonly handler: ResolvedHandler };

/** The unit of work shared by the envelopes of one chunk (or of one parked event). */
export interface ChunkScope {
  /** The transaction of a 'once' group's chunk; undefined for broadcast groups. */
  readonly tx?: EntityManager;
  /** The topic-partition of a fresh chunk; `epoch` changes whenever its assignment may have. */
  readonly partition?: { readonly topic: string; readonly partition: number; readonly epoch: number };
  /** Every envelope of the chunk, in partition order (lets a middleware do one statement per chunk). */
  readonly envelopes: readonly UnscopedEnvelope[];
  /** What middleware remembers for the rest of the chunk, by middleware. */
  readonly memo: Map<symbol, unknown>;
  /** Work a middleware left for the end of the chunk, run in order just before it commits. */
  readonly beforeCommit: Array<() => Promise<void>>;
  /** Envelopes of the chunk taken to their result so far (the chunk's transaction holds their locks). */
  settled: number;
}

/** The failure state of an event, as it is parked or dead-lettered. */
export interface FailureState {
  error: unknown;
  attempts: number;
  firstFailureAt: Date;
}

/**
 * What parking, holding and waiting mean where an envelope came from: fresh from its partition
 * (a new parking-lot row, a wait that heartbeats) or from the parking lot (its row updated).
 */
export interface EnvelopeOrigin {
  /** Retry waits up to this long happen in place; longer ones park. 0: never wait in place. */
  readonly inPlaceMaxDelayMs: number;
  /** False for broadcast groups: they have no database to park in. */
  readonly canPark: boolean;
  /** Waits before the next attempt; false when the partition went away meanwhile. */
  pause(ms: number): Promise<boolean>;
  /** Keeps the event for a later attempt at `nextAttemptAt` (attempts 0: queued behind its key). */
  park(envelope: Envelope, state: FailureState | undefined, nextAttemptAt: Date): Promise<void>;
  /** After a dead letter: keeps the event as a blocker of its key until released. */
  hold(envelope: Envelope, state: FailureState): Promise<void>;
  /** After a dead letter without hold, or once handled: nothing of it stays waiting. */
  settle(envelope: Envelope): Promise<void>;
}

/** How an envelope ended. `failed` goes back out to the retry and dead-letter middleware. */
export type Result =
  | { readonly outcome: 'handled'; readonly seconds: number }
  | { readonly outcome: 'duplicate' | 'parked' | 'abandoned' | 'deferred' }
  | { readonly outcome: 'dead-lettered'; readonly keyHeld: boolean }
  | { readonly outcome: 'failed'; readonly error: unknown; readonly state?: FailureState };

export type Outcome = Result['outcome'];

export const PARKED: Result = { outcome: 'parked' };
export const DUPLICATE: Result = { outcome: 'duplicate' };
export const ABANDONED: Result = { outcome: 'abandoned' };
/** Not applied in this chunk: the chunk ends before it and it starts the next one. */
export const DEFERRED: Result = { outcome: 'deferred' };
export const failed = (error: unknown): Result => ({ outcome: 'failed', error });

/** True when the result leaves the event's key blocked for the rest of the chunk. */
export function blocksKey(result: Result): boolean {
  return result.outcome === 'parked' || (result.outcome === 'dead-lettered' && result.keyHeld);
}
