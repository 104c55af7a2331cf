/** Options of {@link OutboxRelay}; every field has a default. Validated once, at construction. */
export interface OutboxRelayOptions {
  /** Rows read and published per batch. Default 500. */
  batchSize?: number;
  /** Polling fallback when no NOTIFY arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How often a standby tries to become leader. Default 1000 ms. */
  standbyRetryMs?: number;
  /** First back-off after a failed publish; doubles up to maxBackoffMs (with jitter). Default 200 ms. */
  initialBackoffMs?: number;
  /** Default 30000 ms. */
  maxBackoffMs?: number;
  /** How long published outbox rows are kept (the replay source). Default 7 days. */
  retentionMs?: number;
  /** How often published rows past the retention window are deleted. Default 60000 ms. */
  cleanupIntervalMs?: number;
  /**
   * Upper bound of one produce request: a batch is split into requests of at most this many
   * bytes (estimated record size), so no partition's record batch exceeds it. Keep it at or
   * below the topics' max.message.bytes. Default 1048576 (1 MiB, Kafka's max.request.size
   * default; the broker's message.max.bytes default is 1048588). A single row bigger than this
   * is sent alone.
   */
  maxRequestBytes?: number;
  /**
   * How often the leader proves its lock session alive when it has no other statement to run.
   * Default 5000 ms; at most half of leaderSessionTimeoutMs.
   */
  leaderHeartbeatMs?: number;
  /**
   * How long a leader may go without reaching PostgreSQL before it loses leadership. The server
   * ends a lock session idle this long (idle_session_timeout, idle_in_transaction_session_timeout,
   * and TCP keepalives tuned to notice a vanished peer in about this time), freeing the lock
   * for a standby: a frozen, hung or partitioned leader is replaced within about this plus
   * standbyRetryMs. The leader itself stops publishing once it has not reached the server for
   * this long. Default 20000 ms.
   */
  leaderSessionTimeoutMs?: number;
  /** statement_timeout of the leader's statements: a hung statement fails instead of holding the relay. Default 10000 ms; below leaderSessionTimeoutMs. */
  leaderStatementTimeoutMs?: number;
}

export type ResolvedOutboxRelayOptions = Required<OutboxRelayOptions>;

const DEFAULTS: ResolvedOutboxRelayOptions = {
  batchSize: 500,
  pollIntervalMs: 1000,
  standbyRetryMs: 1000,
  initialBackoffMs: 200,
  maxBackoffMs: 30_000,
  retentionMs: 7 * 24 * 3600_000,
  cleanupIntervalMs: 60_000,
  maxRequestBytes: 1_048_576,
  leaderHeartbeatMs: 5_000,
  leaderSessionTimeoutMs: 20_000,
  leaderStatementTimeoutMs: 10_000,
};

/** Fills defaults and rejects nonsense with a message naming the setting. */
export function resolveRelayOptions(options: OutboxRelayOptions = {}): ResolvedOutboxRelayOptions {
  const resolved = { ...DEFAULTS, ...stripUndefined(options) };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`outbox relay option ${name} must be a positive number, got ${value}`);
  }
  if (resolved.maxBackoffMs < resolved.initialBackoffMs) {
    throw new Error('outbox relay option maxBackoffMs must not be below initialBackoffMs');
  }
  if (resolved.leaderHeartbeatMs * 2 > resolved.leaderSessionTimeoutMs) {
    throw new Error('outbox relay option leaderHeartbeatMs must be at most half of leaderSessionTimeoutMs');
  }
  if (resolved.leaderStatementTimeoutMs >= resolved.leaderSessionTimeoutMs) {
    throw new Error('outbox relay option leaderStatementTimeoutMs must be below leaderSessionTimeoutMs');
  }
  if (resolved.maxRequestBytes < 1024) throw new Error(`outbox relay option maxRequestBytes must be at least 1024, got ${resolved.maxRequestBytes}`);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
