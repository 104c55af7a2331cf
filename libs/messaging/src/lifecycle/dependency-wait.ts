import { LogFunction } from '@troupe/observability';

/** Something a service needs before it can serve: what it is and where it was looked for. */
export interface Dependency {
  /** e.g. `PostgreSQL`, `Kafka`, `the schema registry`. */
  name: string;
  /** Where (host:port, URL), without credentials. */
  address: string;
}

/** The dependency start-up is waiting for right now. */
export interface WaitingFor extends Dependency {
  /** Failed attempts so far. */
  attempts: number;
  since: Date;
  /** Why the last attempt failed. */
  lastError: string;
}

/** Settings of a {@link DependencyWait}. */
export interface DependencyWaitOptions {
  /** Pause after the first failed attempt; doubles per attempt. Default 500 ms. */
  initialDelayMs?: number;
  /** Longest pause between attempts. Default 10000 ms. */
  maxDelayMs?: number;
}

/** Start-up cannot go on: a dependency refused for good (a bad setting, a rejected schema). */
export class DependencyRefusedError extends Error {
  constructor(
    readonly dependency: Dependency,
    cause: unknown,
  ) {
    super(`${dependency.name} at ${dependency.address} refused: ${messageOf(cause)}`, { cause });
    this.name = 'DependencyRefusedError';
  }
}

/** The service is stopping while it still waited for a dependency. */
export class StartupStoppedError extends Error {
  constructor(dependency: Dependency) {
    super(`stopped while waiting for ${dependency.name} at ${dependency.address}`);
    this.name = 'StartupStoppedError';
  }
}

/**
 * Runs the steps of start-up that need another system, one at a time. A step that fails
 * because the system is not there (yet) is tried again with bounded exponential back-off
 * (initialDelayMs doubling up to maxDelayMs, ±20 % jitter), for as long as it takes: every
 * failed attempt logs a warning naming the dependency, its address and the error, and
 * {@link waitingFor} says what start-up waits for (readiness reports it). A failure
 * `isPermanent` calls permanent stops start-up at once with a {@link DependencyRefusedError}
 * naming the dependency; {@link stop} ends the waiting with a {@link StartupStoppedError}.
 */
export class DependencyWait {
  private current?: WaitingFor;
  private readonly listeners = new Set<(waiting: WaitingFor) => void>();
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  /** Bumped by stop(): waits begun before it end; a later start waits afresh. */
  private generation = 0;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly log: LogFunction,
    options: DependencyWaitOptions = {},
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    if (!(this.initialDelayMs > 0) || !(this.maxDelayMs >= this.initialDelayMs))
      throw new Error(
        `DependencyWaitOptions: need 0 < initialDelayMs <= maxDelayMs, got ${this.initialDelayMs} and ${this.maxDelayMs}`,
      );
  }

  /** What start-up is waiting for now; undefined while a step runs fine or once all are done. */
  get waitingFor(): WaitingFor | undefined {
    return this.current;
  }

  /** Called whenever a step starts waiting (its first attempt failed). Returns the unsubscriber. */
  onWaiting(listener: (waiting: WaitingFor) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async until<T>(
    dependency: Dependency,
    attempt: () => Promise<T>,
    isPermanent: (error: unknown) => boolean,
  ): Promise<T> {
    const since = new Date();
    const generation = this.generation;
    for (let attempts = 1; ; attempts++) {
      try {
        const result = await attempt();
        if (attempts > 1)
          this.log(
            'info',
            `${dependency.name} at ${dependency.address} answers after ${attempts} attempts`,
            { ...dependency, attempts },
          );
        this.current = undefined;
        return result;
      } catch (error) {
        if (isPermanent(error)) {
          this.current = undefined;
          throw new DependencyRefusedError(dependency, error);
        }
        if (generation !== this.generation) throw new StartupStoppedError(dependency);
        const delayMs = this.delayAfter(attempts);
        this.current = { ...dependency, attempts, since, lastError: messageOf(error) };
        this.log(
          'warn',
          `waiting for ${dependency.name} at ${dependency.address}: ${messageOf(error)} (attempt ${attempts}, next in ${delayMs} ms)`,
          {
            dependency: dependency.name,
            address: dependency.address,
            attempts,
          },
        );
        if (attempts === 1) for (const listener of this.listeners) listener(this.current);
        await this.sleep(delayMs);
        if (generation !== this.generation) {
          this.current = undefined;
          throw new StartupStoppedError(dependency);
        }
      }
    }
  }

  /** Ends every wait; the step waiting throws StartupStoppedError. */
  stop(): void {
    this.generation++;
    for (const wake of [...this.sleepers]) wake();
  }

  private delayAfter(attempts: number): number {
    const base = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempts - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: unknown })?.cause;
  // kafkajs and fetch hide the reason (ECONNREFUSED...) in the cause.
  const reason =
    cause instanceof Error && !message.includes(cause.message) ? `: ${cause.message}` : '';
  return `${message || (error as Error)?.name || 'failed'}${reason}`;
}
