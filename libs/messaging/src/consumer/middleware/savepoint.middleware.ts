import { ChunkScope } from '../envelope';
import { RawClient, rawClientOf } from '../chunk-transaction';
import { IncomingMessage } from '../../transport/transport.port';
import { Middleware } from './middleware';

/** The savepoint of an attempt (appended to the inbox claim for the chunk's first envelope). */
export const ATTEMPT_SAVEPOINT = 'SAVEPOINT troupe_attempt';

const TAKEN = Symbol('savepoint.taken');

/**
 * Records that the statement just run ended with {@link ATTEMPT_SAVEPOINT} on behalf of
 * `message`'s next attempt: nothing else runs between them, so that attempt needs no SAVEPOINT
 * round trip of its own. Any other envelope (or a later attempt) takes its own savepoint.
 */
export function savepointTakenFor(scope: ChunkScope, message: IncomingMessage): void {
  scope.memo.set(TAKEN, message);
}

/** An attempt in progress: its savepoint may still be on its way (not awaited before the handler's first statement). */
export interface AttemptSavepoint {
  readonly client: RawClient;
  /** Resolves once the savepoint exists (at once when it was taken with the inbox claim). */
  readonly taken: Promise<void>;
}

/**
 * Starts an attempt of `message` (an event, or a batch led by it) in the chunk's transaction:
 * takes {@link ATTEMPT_SAVEPOINT} unless the inbox claim just took it on the attempt's behalf.
 * The SAVEPOINT is not awaited: pg sends the handler's first statement right after its answer,
 * with no turn of the event loop between; {@link endAttempt} waits for it before anything is
 * rolled back or committed.
 */
export async function enterAttempt(scope: ChunkScope, message: IncomingMessage): Promise<AttemptSavepoint> {
  const client = await rawClientOf(scope.tx!);
  const taken = scope.memo.get(TAKEN) === message;
  scope.memo.delete(TAKEN);
  if (taken) return { client, taken: Promise.resolve() };
  // pg runs a client's statements in the order they were queried: the handler's first statement
  // follows the SAVEPOINT without waiting here for its answer.
  const answered = client.query(ATTEMPT_SAVEPOINT).then(() => undefined);
  answered.catch(() => undefined); // awaited by endAttempt; never an unhandled rejection meanwhile
  return { client, taken: answered };
}

/**
 * Ends an attempt: its savepoint must have been taken (else the transaction is broken: thrown,
 * the chunk ends), and a failed attempt's writes are undone (its savepoint stays, shadowed by
 * the next attempt's).
 */
export async function endAttempt(attempt: AttemptSavepoint, failed: boolean): Promise<void> {
  await attempt.taken;
  if (failed) await attempt.client.query('ROLLBACK TO SAVEPOINT troupe_attempt');
}

/**
 * Each attempt of a 'once' group runs in a savepoint of the chunk's transaction: a failed attempt
 * rolls back only its own writes, so handlers that succeeded earlier in the chunk keep their
 * effects and are never run again for this delivery. (PostgreSQL keeps the savepoint after a
 * ROLLBACK TO; the next attempt's SAVEPOINT of the same name shadows it, so no RELEASE is needed.)
 * The statements go straight to the pg client: no parameters, nothing for TypeORM to do.
 */
export const savepoint: Middleware = (next) => async (envelope) => {
  if (!envelope.scope.tx) return next(envelope);
  const attempt = await enterAttempt(envelope.scope, envelope.message);
  let result;
  try {
    result = await next(envelope);
  } catch (error) {
    await endAttempt(attempt, true).catch(() => undefined);
    throw error;
  }
  await endAttempt(attempt, result.outcome === 'failed');
  return result;
};
