import { DataSource, EntityManager } from 'typeorm';
import type { TaskCatalog } from './task-catalog';
import type { TaskAttempt, TaskRecord } from './task-context';
import type { TaskFilter } from './task.store';
import { TaskStore } from './task.store';

/** A task to create. */
export interface NewTask<D = Record<string, unknown>> {
  /** A task type this scheduler has a @TaskHandler for. */
  type: string;
  /**
   * What the task is about (an order id...). At most one task per type and reference ever
   * exists: asking again returns the existing task, whatever its state, so a job that finds the
   * same problem on every run creates one task, and a FAILED one waits for a human.
   */
  externalRef?: string;
  /** Business data for the runner (JSON). */
  data?: D;
  /** Not before this. Default: now. */
  runAt?: Date;
}

export type RetryResult =
  | { outcome: 'retried'; task: TaskRecord }
  | { outcome: 'not-failed'; task: TaskRecord }
  | { outcome: 'not-found' };

/**
 * The task table as jobs and the admin API use it. Injectable wherever SchedulingModule is
 * imported; the types it accepts are known once the scheduler has started.
 */
export class TaskQueue {
  private catalog?: TaskCatalog;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: TaskStore = new TaskStore(dataSource),
  ) {}

  /** Called once at start-up with the validated task types. */
  use(catalog: TaskCatalog): void {
    this.catalog = catalog;
  }

  /** Called whenever a task is created here (the worker looks for work at once). */
  onCreated(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Creates a task, in `tx` when given (so it commits with the caller's other writes), else on
   * its own. An unknown type is a programming error and throws.
   */
  async enqueue<D>(
    task: NewTask<D>,
    tx?: EntityManager,
  ): Promise<{ id: string; created: boolean }> {
    const type = this.typeOf(task.type);
    const created = await this.store.insert(tx ?? this.dataSource, {
      type: task.type,
      externalRef: task.externalRef ?? null,
      data: task.data ?? {},
      runAt: task.runAt,
      maxAttempts: type.definition.maxAttempts,
    });
    if (created.created) for (const listener of this.listeners) listener();
    return created;
  }

  get(id: string): Promise<TaskRecord | undefined> {
    return this.store.get(id);
  }

  /** The task's processing history, one entry per attempt. */
  history(id: string): Promise<TaskAttempt[]> {
    return this.store.attempts(id);
  }

  /** Newest first. */
  list(filter: TaskFilter): Promise<TaskRecord[]> {
    return this.store.list(filter);
  }

  /** A FAILED task runs again now, with its type's maximum of attempts once more. */
  async retry(id: string): Promise<RetryResult> {
    const current = await this.store.get(id);
    if (!current) return { outcome: 'not-found' };
    const extra = this.catalog?.get(current.type)?.definition.maxAttempts ?? 1;
    const result = await this.store.retry(id, extra);
    if (result.outcome === 'retried') for (const listener of this.listeners) listener();
    return result as RetryResult;
  }

  /** The task types this scheduler runs. */
  types(): string[] {
    return this.catalog?.names() ?? [];
  }

  private typeOf(type: string) {
    const found = this.catalog?.get(type);
    if (!found)
      throw new Error(
        `task type "${type}" has no @TaskHandler here (types: ${this.types().join(', ') || 'none yet: the scheduler has not started'})`,
      );
    return found;
  }
}
