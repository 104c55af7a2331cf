import type { GroupConsumer, Transport } from '@troupe/messaging';
import type { TroupeMetrics } from '@troupe/observability';
import type { OutboxWriter } from '@troupe/outbox';
import { DataSource } from 'typeorm';
import type { TaskHandler } from '../definition/task-context';
import type { TaskType } from '../definition/task-type';
import type { TaskMetrics } from '../metrics/task-metrics';
import { PriorityQuotaPicker } from '../policy/priority-quota.picker';
import { RateLimiter } from '../rate/rate-limiter';
import { ClaimedTask, TaskClaims } from '../store/task-claims';
import { AttemptRecord, StoredOutcome, TaskOutcomes } from '../store/task-outcomes';
import type { ResolvedTaskWorkerOptions } from '../tasks.options';
import { AttemptRunner, RunningAttempt } from './attempt.runner';
import { interruptedRecord, recordOutcomeMetrics } from './attempt-records';
import { LeaseKeeper } from './lease-keeper';
import { OutcomeBatcher } from './outcome-batcher';
import { WakeSignal } from '@troupe/outbox';
import { WakeTarget, subscribeWakeUps } from './wake-up.subscription';

export interface TaskWorkerDeps {
  dataSource: DataSource;
  outbox: OutboxWriter;
  transport: Transport;
  /** The physical topic of TaskSubmitted, its partition count, and the workers' group. */
  wakeUps: { topic: string; partitions: number; group: string };
  handlers: ReadonlyMap<string, { type: TaskType; handler: TaskHandler }>;
  metrics: TaskMetrics;
  /** The service's platform metrics (the wake-up consumer's restarts). */
  consumerMetrics: TroupeMetrics;
  log: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

/**
 * One worker replica: claims due tasks from PostgreSQL whenever it has free slots (in priority
 * order with weighted shares, within each type's concurrency), runs them, stores their
 * outcomes in batches, renews its leases, and ends attempts whose worker died. It wakes on
 * TaskSubmitted (Kafka), on a freed slot, when the next delayed task is due, and every
 * pollIntervalMs as a fallback, so a lost wake-up delays work but never loses it.
 */
export class TaskWorker implements WakeTarget {
  private readonly claims: TaskClaims;
  private readonly outcomes: TaskOutcomes;
  private readonly runner: AttemptRunner;
  private readonly batcher: OutcomeBatcher;
  private readonly picker: PriorityQuotaPicker;
  private readonly leases: LeaseKeeper;
  private readonly signal = new WakeSignal();
  /** Every attempt this replica holds a lease on: executing, or claimed ahead and queued. */
  private readonly running = new Map<string, { attempt: RunningAttempt; done: Promise<void> }>();
  /** Claimed ahead (options.prefetch), waiting for a slot, in claim order (priority first). */
  private queued: RunningAttempt[] = [];
  private readonly perType = new Map<string, number>();
  private hungryWaiters: Array<() => void> = [];
  private wakeUps?: GroupConsumer;
  private loop?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  hungry = false;
  stopping = false;

  constructor(
    private readonly options: ResolvedTaskWorkerOptions,
    private readonly deps: TaskWorkerDeps,
  ) {
    this.claims = new TaskClaims(deps.dataSource, options.workerId);
    this.outcomes = new TaskOutcomes(deps.dataSource, deps.outbox);
    this.runner = new AttemptRunner(
      options.workerId,
      this.claims,
      new RateLimiter(deps.dataSource),
    );
    this.batcher = new OutcomeBatcher(
      this.outcomes,
      (stored, records) => this.recordStored(stored, records),
      (m, e) => deps.log('warn', m, { error: String(e) }),
    );
    this.picker = new PriorityQuotaPicker(options.priorityWeights);
    this.leases = new LeaseKeeper(this.claims, this.outcomes, deps, {
      held: () => [...this.running.values()].map((r) => r.attempt),
      wake: () => this.wake(),
      lost: (attempt) => this.lost(attempt),
    });
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.loop = this.run();
    const leaseMs = Math.min(
      ...[...this.deps.handlers.values()].map((h) => h.type.options.leaseMs),
    );
    this.timers.push(
      setInterval(() => void this.leases.renew(), Math.max(50, Math.floor(leaseMs / 3))),
    );
    this.timers.push(setInterval(() => void this.leases.sweep(), this.options.sweepIntervalMs));
    this.wakeUps = await subscribeWakeUps(
      this.deps.transport,
      { ...this.deps.wakeUps, partitionConcurrency: this.options.partitionConcurrency },
      this,
      {
        metrics: this.deps.consumerMetrics,
        log: (message, error) =>
          this.deps.log('warn', message, error ? { error: String(error) } : undefined),
      },
    );
  }

  /** In its consumer group (wake-ups flow); claiming works without it. */
  isReady(): boolean {
    return !this.stopping && this.wakeUps?.isReady() === true;
  }

  wake(): void {
    this.signal.wake();
  }

  untilHungry(ms: number): Promise<void> {
    if (this.hungry) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.hungryWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops claiming, lets running attempts finish (up to shutdownTimeoutMs), puts the rest back, stores every outcome. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.setHungry(true);
    this.wake();
    await this.loop;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await this.releaseQueued();
    const finished = Promise.all([...this.running.values()].map((r) => r.done));
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(true), this.options.shutdownTimeoutMs).unref(),
      ),
    ]);
    if (timedOut) await this.interruptRunning();
    await this.batcher.drain();
    await this.wakeUps?.stop().catch(() => undefined);
    await this.claims.close();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.startQueued();
        const free = this.options.concurrency + this.options.prefetch - this.running.size;
        if (free <= 0 || this.batcher.backlog > this.options.concurrency * 4) {
          this.setHungry(false);
          await this.signal.wait(this.options.pollIntervalMs);
          continue;
        }
        const { tasks: claimed, available } = await this.claims.claim(
          free,
          this.picker.quotas(free),
          this.capacity(free),
        );
        failures = 0;
        for (const task of claimed) this.hold(task);
        this.startQueued();
        this.picker.setActive(
          available.map((seen, p) => seen > claimed.filter((t) => t.priority === p).length),
        );
        if (claimed.length === free) {
          this.setHungry(false);
          continue;
        }
        this.setHungry(true);
        const dueInMs = claimed.length === 0 ? await this.claims.nextDueInMs() : null;
        await this.signal.wait(
          dueInMs !== null && dueInMs > 0
            ? Math.min(dueInMs, this.options.pollIntervalMs)
            : this.options.pollIntervalMs,
        );
      } catch (error) {
        failures++;
        this.deps.log('warn', `task worker: claiming failed (${failures} in a row)`, {
          error: String(error),
        });
        await this.signal.wait(Math.min(10_000, 100 * 2 ** failures));
      }
    }
  }

  private capacity(free: number) {
    return [...this.deps.handlers.values()].map(({ type }) => ({
      type: type.name,
      free: Math.min(free, type.options.concurrency - (this.perType.get(type.name) ?? 0)),
      leaseMs: type.options.leaseMs,
    }));
  }

  /** Takes a claimed task: it counts against its type's concurrency from now; it starts when a slot is free. */
  private hold(task: ClaimedTask): void {
    const entry = this.deps.handlers.get(task.type)!;
    this.picker.charge(task.priority);
    const attempt: RunningAttempt = {
      task,
      type: entry.type,
      controller: new AbortController(),
      startedAt: new Date(),
      interrupted: false,
    };
    this.perType.set(task.type, (this.perType.get(task.type) ?? 0) + 1);
    this.running.set(task.id, { attempt, done: Promise.resolve() });
    this.queued.push(attempt);
  }

  private startQueued(): void {
    while (
      this.queued.length > 0 &&
      this.running.size - this.queued.length < this.options.concurrency
    ) {
      this.begin(this.queued.shift()!);
    }
  }

  private begin(attempt: RunningAttempt): void {
    const { task } = attempt;
    const entry = this.deps.handlers.get(task.type)!;
    attempt.startedAt = new Date();
    this.deps.metrics.running(task.type, 1);
    if (task.attempt === 1) {
      const due = Math.max(task.submittedAt.getTime(), task.runAt.getTime());
      this.deps.metrics.started(
        task.type,
        task.priority,
        (attempt.startedAt.getTime() - due) / 1000,
      );
    }
    const done = this.runner.run(attempt, entry.handler).then(async (record) => {
      this.running.delete(task.id);
      this.perType.set(task.type, (this.perType.get(task.type) ?? 1) - 1);
      this.deps.metrics.running(task.type, -1);
      this.wake();
      await this.batcher.add(record);
    });
    this.running.set(task.id, { attempt, done });
  }

  /** Claimed-ahead attempts that never started: put back at once (not counted as attempts). */
  private async releaseQueued(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    for (const attempt of queued) {
      this.running.delete(attempt.task.id);
      this.perType.set(attempt.task.type, (this.perType.get(attempt.task.type) ?? 1) - 1);
    }
    await Promise.all(
      queued.map((attempt) =>
        this.batcher.add(
          interruptedRecord(attempt, this.options.workerId, new Date().toISOString()),
        ),
      ),
    );
  }

  private setHungry(hungry: boolean): void {
    this.hungry = hungry;
    if (!hungry) return;
    const waiters = this.hungryWaiters;
    this.hungryWaiters = [];
    waiters.forEach((w) => w());
  }

  /** The lease is gone (another replica may run the task): stop the attempt, or drop it if it never started. */
  private lost(attempt: RunningAttempt): void {
    if (!this.running.has(attempt.task.id)) return;
    attempt.controller.abort(new Error(`task ${attempt.task.id}: lease lost`));
    if (!this.queued.includes(attempt)) return;
    this.queued = this.queued.filter((a) => a !== attempt);
    this.running.delete(attempt.task.id);
    this.perType.set(attempt.task.type, (this.perType.get(attempt.task.type) ?? 1) - 1);
  }

  /** Attempts still running after the grace period: aborted and put back (not counted as attempts). */
  private async interruptRunning(): Promise<void> {
    const now = new Date().toISOString();
    const records = [...this.running.values()].map(({ attempt }) => {
      attempt.interrupted = true;
      attempt.controller.abort(new Error('worker stopping'));
      return interruptedRecord(attempt, this.options.workerId, now);
    });
    this.deps.log(
      'warn',
      `task worker: ${records.length} attempt(s) still running at shutdown were put back`,
    );
    await Promise.all(records.map((r) => this.batcher.add(r)));
  }

  private recordStored(stored: StoredOutcome[], records: AttemptRecord[]): void {
    this.wake(); // a stored batch makes room below the outcome backlog limit
    recordOutcomeMetrics(
      this.deps.metrics,
      stored,
      records,
      (id) => this.running.get(id)?.attempt.task.type,
    );
  }
}
