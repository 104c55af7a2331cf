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

/**
 * Starts an attempt of `message` (an event, or a batch led by it) in the chunk's transaction:
 * takes {@link ATTEMPT_SAVEPOINT} unless the inbox claim just took it on the attempt's behalf.
 */
export async function enterAttempt(scope: ChunkScope, message: IncomingMessage): Promise<RawClient> {
  const client = await rawClientOf(scope.tx!);
  const taken = scope.memo.get(TAKEN) === message;
  scope.memo.delete(TAKEN);
  if (!taken) await client.query(ATTEMPT_SAVEPOINT);
  return client;
}

/** Undoes the attempt's writes (its savepoint stays, shadowed by the next attempt's). */
export async function rollbackAttempt(client: RawClient): Promise<void> {
  await client.query('ROLLBACK TO SAVEPOINT troupe_attempt');
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
  const client = await enterAttempt(envelope.scope, envelope.message);
  let result;
  try {
    result = await next(envelope);
  } catch (error) {
    await rollbackAttempt(client).catch(() => undefined);
    throw error;
  }
  if (result.outcome === 'failed') await rollbackAttempt(client);
  return result;
};
