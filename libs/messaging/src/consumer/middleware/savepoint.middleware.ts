import { Middleware } from './middleware';

/**
 * Each attempt of a 'once' group runs in a savepoint of the chunk's transaction: a failed attempt
 * rolls back only its own writes, so handlers that succeeded earlier in the chunk keep their
 * effects and are never run again for this delivery. (PostgreSQL keeps the savepoint after a
 * ROLLBACK TO; the next attempt's SAVEPOINT of the same name shadows it, so no RELEASE is needed.)
 */
export const savepoint: Middleware = (next) => async (envelope) => {
  const tx = envelope.scope.tx;
  if (!tx) return next(envelope);
  await tx.query('SAVEPOINT troupe_attempt');
  let result;
  try {
    result = await next(envelope);
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT troupe_attempt').catch(() => undefined);
    throw error;
  }
  if (result.outcome === 'failed') await tx.query('ROLLBACK TO SAVEPOINT troupe_attempt');
  return result;
};
