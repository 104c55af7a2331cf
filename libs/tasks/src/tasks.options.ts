import { DEFAULT_PRIORITY_WEIGHTS, PriorityWeights } from './policy/priority-quota.picker';

/** A worker replica's settings; every field has a default. Validated once, at start-up. */
export interface TaskWorkerOptions {
  /** Attempts running at once in this replica, over all types. Default 8. */
  concurrency?: number;
  /**
   * Tasks claimed ahead beyond `concurrency`, started from memory as slots free: saves a claim
   * round trip per start when tasks are short. They are leased while they wait, and a high
   * task submitted meanwhile starts after them. Default 0.
   */
  prefetch?: number;
  /** How often an idle worker looks for due work without a wake-up (delayed tasks, retries, lost wake-ups). Default 1000 ms. */
  pollIntervalMs?: number;
  /** How often expired leases are looked for (any replica may take them). Default 2000 ms. */
  sweepIntervalMs?: number;
  /** Shares of the starts per priority while all have work: [high, normal, low]. Default [12, 4, 1]. */
  priorityWeights?: PriorityWeights;
  /** How long stop() lets running attempts finish before interrupting them. Default 20000 ms. */
  shutdownTimeoutMs?: number;
  /** This replica's name in leases and history. Default `<hostname>-<pid>`. */
  workerId?: string;
  /** Partitions of the wake-up topic consumed at once. Default 6. */
  partitionConcurrency?: number;
}

export type ResolvedTaskWorkerOptions = Required<TaskWorkerOptions>;

/** Fills defaults; a bad setting throws naming it. */
export function resolveWorkerOptions(
  options: TaskWorkerOptions,
  defaultWorkerId: string,
): ResolvedTaskWorkerOptions {
  const resolved: ResolvedTaskWorkerOptions = {
    concurrency: options.concurrency ?? 8,
    prefetch: options.prefetch ?? 0,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    sweepIntervalMs: options.sweepIntervalMs ?? 2000,
    priorityWeights: options.priorityWeights ?? DEFAULT_PRIORITY_WEIGHTS,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 20_000,
    workerId: options.workerId ?? defaultWorkerId,
    partitionConcurrency: options.partitionConcurrency ?? 6,
  };
  for (const name of [
    'concurrency',
    'pollIntervalMs',
    'sweepIntervalMs',
    'shutdownTimeoutMs',
    'partitionConcurrency',
  ] as const) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`task worker option ${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(resolved.prefetch) || resolved.prefetch < 0)
    throw new Error(
      `task worker option prefetch must be zero or a positive integer, got ${resolved.prefetch}`,
    );
  if (!/^[a-zA-Z0-9._-]{1,100}$/.test(resolved.workerId))
    throw new Error(
      `task worker option workerId must be 1-100 letters, digits, '.', '_' or '-', got "${resolved.workerId}"`,
    );
  return resolved;
}
