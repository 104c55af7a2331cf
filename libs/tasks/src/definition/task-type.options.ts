/** How a task type runs; every field has a default. Validated once, by {@link defineTask}. */
export interface TaskTypeOptions {
  /** Attempts in all, the first included, before the task is FAILED. Default 3. */
  maxAttempts?: number;
  /** Wait before the second attempt. Default 1000 ms. */
  initialBackoffMs?: number;
  /** Each further wait is the previous one times this. Default 2. */
  backoffMultiplier?: number;
  /** No wait is longer than this. Default 300000 ms (5 min). */
  maxBackoffMs?: number;
  /** Attempts of this type running at once in one worker replica. Default: no limit beyond the worker's. */
  concurrency?: number;
  /**
   * How long a RUNNING task stays claimed without a lease renewal; a worker renews its leases
   * every third of this, so a task whose worker died is retried about this long after. Default 30000 ms.
   */
  leaseMs?: number;
  /**
   * Units (e.g. e-mails) the type's attempts may use per interval, across every worker replica;
   * handlers take units with `ctx.rateLimit(n)`. Default: none.
   */
  rateLimit?: { limit: number; intervalMs: number };
  /** The largest JSON result a handler may return, in bytes. Default 65536. */
  maxResultBytes?: number;
}

export interface ResolvedTaskTypeOptions {
  maxAttempts: number;
  initialBackoffMs: number;
  backoffMultiplier: number;
  maxBackoffMs: number;
  concurrency: number;
  leaseMs: number;
  rateLimit?: { limit: number; intervalMs: number };
  maxResultBytes: number;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Fills defaults; a bad setting throws naming the type and the setting. */
export function resolveTaskTypeOptions(
  name: string,
  options: TaskTypeOptions = {},
): ResolvedTaskTypeOptions {
  const fail = (setting: string, rule: string, got: unknown): never => {
    throw new Error(`task type ${name}: ${setting} ${rule}, got ${JSON.stringify(got)}`);
  };
  if (!NAME.test(name))
    fail('name', 'must be lower-case letters, digits and "-", starting with a letter', name);
  const int = (setting: keyof TaskTypeOptions, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min)
      fail(setting, `must be an integer of at least ${min}`, value);
    return value;
  };
  const resolved: ResolvedTaskTypeOptions = {
    maxAttempts: int('maxAttempts', options.maxAttempts ?? 3, 1),
    initialBackoffMs: int('initialBackoffMs', options.initialBackoffMs ?? 1000, 0),
    backoffMultiplier: options.backoffMultiplier ?? 2,
    maxBackoffMs: int('maxBackoffMs', options.maxBackoffMs ?? 300_000, 0),
    concurrency: int('concurrency', options.concurrency ?? Number.MAX_SAFE_INTEGER, 1),
    leaseMs: int('leaseMs', options.leaseMs ?? 30_000, 100),
    maxResultBytes: int('maxResultBytes', options.maxResultBytes ?? 65_536, 2),
  };
  if (!(resolved.backoffMultiplier >= 1))
    fail('backoffMultiplier', 'must be at least 1', resolved.backoffMultiplier);
  if (resolved.maxBackoffMs < resolved.initialBackoffMs)
    fail('maxBackoffMs', 'must be at least initialBackoffMs', resolved.maxBackoffMs);
  if (options.rateLimit) {
    const { limit, intervalMs } = options.rateLimit;
    if (!(limit > 0)) fail('rateLimit.limit', 'must be a positive number', limit);
    if (!Number.isInteger(intervalMs) || intervalMs < 1)
      fail('rateLimit.intervalMs', 'must be a positive integer', intervalMs);
    resolved.rateLimit = { limit, intervalMs };
  }
  return resolved;
}
