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
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
