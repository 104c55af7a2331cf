import { isRetriable } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { abortable, describeError, settlesWithin } from '../abortable';
import { LeaseLostError } from '../errors/lease-lost.error';
import { RunTimeoutError } from '../errors/run-timeout.error';
import { SchedulerStoppingError } from '../errors/scheduler-stopping.error';
import { SchedulingMetrics } from '../metrics/scheduling-metrics';
import { Pause } from '../pause';
import type { ResolvedSchedulingOptions } from '../scheduling.options';
import { taskBackoffMs } from './task-backoff';
import type { CatalogTaskType, TaskCatalog } from './task-catalog';
import type { TaskContext, TaskRecord } from './task-context';
import { HeldAttempt, TaskStore } from './task.store';

/**
 * Runs due tasks in this process, at most `taskConcurrency` at a time. An attempt holds a lease
 * that it renews while it runs; a replica that dies stops renewing and another one takes the task
 * over once the lease has expired. Failed attempts are retried after exponential back-off until
 * the type's maximum; then the task is FAILED and stays so until retried by hand.
 */
export class TaskWorker {
  private catalog?: TaskCatalog;
  private loop?: Promise<void>;
  private stopping = false;
  private readonly pause = new Pause();
  private readonly inFlight = new Map<
    string,
    { abort: (reason: Error) => void; done: Promise<void> }
  >();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: TaskStore,
    private readonly metrics: SchedulingMetrics,
    private readonly options: ResolvedSchedulingOptions,
  ) {}

  start(catalog: TaskCatalog): void {
    this.catalog = catalog;
    if (this.loop || catalog.all().length === 0) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Looks for due tasks now rather than at the next poll. */
  wake(): void {
    this.pause.wake();
  }

  /** Takes no more tasks; lets attempts in flight finish (bounded), then aborts the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pause.wake();
    await this.loop;
    this.loop = undefined;
    const all = () => Promise.all([...this.inFlight.values()].map((t) => t.done));
    const finished = await settlesWithin(all(), this.options.shutdownTimeoutMs);
    if (!finished) {
      for (const [id, task] of this.inFlight) task.abort(new SchedulerStoppingError(`task ${id}`));
      await all();
    }
  }

  private async run(): Promise<void> {
    const leases = new Map(
      this.catalog!.all().map((t) => [t.definition.type, t.definition.leaseMs]),
    );
    let failures = 0;
    while (!this.stopping) {
      try {
        const free = this.options.taskConcurrency - this.inFlight.size;
        if (free > 0) {
          const { claimed, exhausted } = await this.store.claim(
            leases,
            this.options.replicaId,
            free,
          );
          for (const task of exhausted) {
            this.metrics.taskAttemptFinished(task.type, 'LEASE_EXPIRED');
            this.options.log('warn', `task ${task.id} (${task.type}) FAILED: ${task.lastError}`, {
              taskId: task.id,
            });
          }
          for (const task of claimed) this.track(task);
        }
        failures = 0;
      } catch (error) {
        failures++;
        this.options.log('warn', `looking for due tasks failed: ${describeError(error)}`, {
          error,
        });
      }
      await this.pause.wait(this.options.taskPollIntervalMs * Math.min(2 ** failures, 30));
    }
  }

  private track(task: TaskRecord): void {
    const type = this.catalog!.get(task.type)!;
    const controller = new AbortController();
    const done = this.attempt(task, type, controller).finally(() => {
      this.inFlight.delete(task.id);
      this.pause.wake();
    });
    this.inFlight.set(task.id, { abort: (reason) => controller.abort(reason), done });
  }

  private async attempt(
    task: TaskRecord,
    type: CatalogTaskType,
    controller: AbortController,
  ): Promise<void> {
    const { leaseMs, timeoutMs, backoff } = type.definition;
    const held: HeldAttempt = {
      taskId: task.id,
      attempt: task.attempts,
      runner: this.options.replicaId,
    };
    const log = this.options.log;
    const heartbeat = setInterval(() => {
      this.store.renew(held, leaseMs).then(
        (renewed) => renewed || controller.abort(new LeaseLostError(task.id, held.attempt)),
        (error) =>
          log('warn', `task ${task.id}: renewing its lease failed: ${describeError(error)}`),
      );
    }, leaseMs / 3);
    const timer = setTimeout(
      () =>
        controller.abort(new RunTimeoutError(`task ${task.id} attempt ${held.attempt}`, timeoutMs)),
      timeoutMs,
    );
    let succeeded = false;
    const context: TaskContext = {
      attempt: held.attempt,
      idempotencyKey: task.id,
      signal: controller.signal,
      log: (level, message, extra) =>
        log(level, message, { taskId: task.id, taskType: task.type, ...extra }),
      succeedWith: async (work) => {
        const value = await this.dataSource.transaction(async (tx) => {
          const result = await work(tx);
          if (!(await this.store.succeed(tx, held, result)))
            throw new LeaseLostError(task.id, held.attempt);
          return result;
        });
        succeeded = true;
        return value;
      },
    };
    try {
      const result = await abortable(type.runner.run(task, context), controller.signal);
      if (!succeeded) {
        const recorded = await this.dataSource.transaction((tx) =>
          this.store.succeed(tx, held, result),
        );
        if (!recorded) throw new LeaseLostError(task.id, held.attempt);
      }
      this.metrics.taskAttemptFinished(task.type, 'SUCCEEDED');
      log('info', `task ${task.id} (${task.type}) SUCCEEDED on attempt ${held.attempt}`, {
        taskId: task.id,
      });
    } catch (thrown) {
      const error = controller.signal.aborted ? controller.signal.reason : thrown;
      if (error instanceof LeaseLostError) {
        this.metrics.taskAttemptFinished(task.type, 'LEASE_LOST');
        log('warn', error.message, { taskId: task.id });
        return;
      }
      const final = !isRetriable(error) || held.attempt >= task.maxAttempts;
      const message = describeError(error);
      const recorded = await this.store
        .fail(held, message, final ? null : taskBackoffMs(backoff, held.attempt))
        .catch((failure) => {
          log('warn', `task ${task.id}: recording its failure failed: ${describeError(failure)}`);
          return false;
        });
      if (!recorded) return;
      this.metrics.taskAttemptFinished(task.type, 'FAILED');
      log(
        final ? 'error' : 'warn',
        `task ${task.id} (${task.type}) attempt ${held.attempt}/${task.maxAttempts} failed${final ? '; the task is FAILED' : ', will retry'}: ${message}`,
        { taskId: task.id, externalRef: task.externalRef },
      );
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timer);
    }
  }
}
