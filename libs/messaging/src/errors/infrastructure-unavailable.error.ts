import { TroupeError } from '@troupe/schemas';

/**
 * The database, the broker or the registry went away under a handler. Not the event's fault: it
 * never counts as an attempt and never dead-letters; the work is simply done again later.
 */
export class InfrastructureUnavailableError extends TroupeError {
  constructor(
    readonly dependency: 'database' | 'broker' | 'registry',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency}-unavailable`, message, true, options);
  }
}

/** Error codes that name an unavailable dependency rather than a failing event. */
const UNAVAILABLE_CODES = new Set(['database-unavailable', 'broker-unavailable', 'registry-unavailable']);

// SQLSTATE classes and codes that mean "the server or the connection is gone", not "this
// statement is wrong": 08 connection exception, 57P01-57P03 shutdown / cannot connect now,
// 53300 too many connections. Network errors of other clients (a handler's HTTP call) are the
// handler's failures and count as attempts, so Node's ECONNREFUSED and friends are not here.
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
// What node-postgres says when the connection under an open transaction is lost (no SQLSTATE).
const PG_CONNECTION_LOST = /Connection terminated|Client has encountered a connection error|Client was closed and is not queryable/i;

/**
 * The unavailable dependency behind an error a handler threw, if that is what it is: a Troupe
 * error with one of the `*-unavailable` codes, a PostgreSQL connection-class SQLSTATE, or
 * node-postgres' lost-connection errors (which carry no code). Anything else is the handler's.
 */
export function unavailableDependency(error: unknown): InfrastructureUnavailableError | undefined {
  if (error instanceof InfrastructureUnavailableError) return error;
  if (error instanceof TroupeError) {
    return UNAVAILABLE_CODES.has(error.code)
      ? new InfrastructureUnavailableError(error.code.replace('-unavailable', '') as 'database', error.message, { cause: error })
      : undefined;
  }
  const found = causes(error).find((e) => {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PG_UNAVAILABLE.test(code)) return true;
    return PG_CONNECTION_LOST.test((e as Error)?.message ?? '');
  });
  return found ? new InfrastructureUnavailableError('database', `database unavailable: ${(found as Error).message}`, { cause: error }) : undefined;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown; driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}
