/**
 * What a failure of pg (node-postgres) or TypeORM over it means, read from pg's own error
 * shapes: a server error carries a SQLSTATE `code` (pg's DatabaseError, wrapped by TypeORM's
 * QueryFailedError as `driverError`), a socket failure carries a Node `code` (ECONNREFUSED...),
 * and pg's own client/pool errors are plain Errors with fixed messages ("Connection terminated
 * unexpectedly", "timeout exceeded when trying to connect", "Connection terminated due to
 * connection timeout": pg/lib/client.js, pg-pool/index.js).
 */
export type PostgresFailure =
  /** Not there right now (down, restarting, overloaded): wait and try again. */
  | 'unavailable'
  /** The input cannot be stored (SQLSTATE class 22: bad text, out of range...). */
  | 'bad-input'
  /** Refused for good: wrong password, no such role or database, a bug in a migration. */
  | 'refused'
  | 'other';

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLSTATEs that say the server cannot serve this session right now. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown (the server is stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now ("the database system is starting up")
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout)
]);

const REFUSED_STATES = new Set([
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification (no such role, pg_hba)
  '3D000', // invalid_catalog_name (no such database)
  '42501', // insufficient_privilege
]);

const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Connection ended unexpectedly/,
  /the database system is (starting up|shutting down|in recovery mode)/,
];

export function postgresFailureOf(error: unknown): PostgresFailure {
  const found = find(error, 4);
  return found ?? 'other';
}

function find(error: unknown, depth: number): PostgresFailure | undefined {
  if (!error || typeof error !== 'object' || depth === 0) return undefined;
  const { code, message, driverError, cause } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return 'unavailable';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return 'unavailable';
      if (REFUSED_STATES.has(code)) return 'refused';
      if (code.startsWith('22')) return 'bad-input';
    }
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
    return 'unavailable';
  // AggregateError (a host that resolves to several addresses), TypeORM's wrapper, a cause.
  for (const inner of [driverError, cause, ...((error as { errors?: unknown[] }).errors ?? [])]) {
    const found = find(inner, depth - 1);
    if (found) return found;
  }
  return undefined;
}
