import type { Observable } from 'rxjs';
import type { TaskType } from '../definition/task-type';
import type { TaskMetrics } from '../metrics/task-metrics';
import type { TaskRecord } from '../store/task-row';
import { TaskPage, TaskStore } from '../store/task.store';
import type { TaskStatus } from '../task-status';
import type { FieldError } from '../validation/field-error';
import { SubmissionLimits, isSameSubmission, validateSubmission } from './submission.validator';
import type { TaskSubmission } from './task-submission';
import type { TaskWatcher } from './task-watcher';

export type SubmitResult =
  | { kind: 'invalid'; errors: FieldError[] }
  /** created false: the Idempotency-Key's earlier task. */
  | { kind: 'accepted'; task: TaskRecord; created: boolean }
  /** The Idempotency-Key was used for a different submission. */
  | { kind: 'key-reused'; task: TaskRecord };

/** The web side of tasks: submit, look up, list, cancel, watch. Nothing invalid is stored. */
export class TaskService {
  constructor(
    private readonly store: TaskStore,
    private readonly types: ReadonlyMap<string, TaskType>,
    private readonly limits: SubmissionLimits,
    private readonly metrics: TaskMetrics,
    private readonly watcher: TaskWatcher,
  ) {}

  /** The registered task types by name. */
  get taskTypes(): ReadonlyMap<string, TaskType> {
    return this.types;
  }

  async submit(submission: TaskSubmission): Promise<SubmitResult> {
    const checked = await validateSubmission(submission, this.types, this.limits);
    if ('errors' in checked) return { kind: 'invalid', errors: checked.errors };
    const key = checked.task.idempotencyKey;
    if (key !== null) {
      const earlier = await this.store.byIdempotencyKey(key);
      if (earlier)
        return isSameSubmission(checked.task, earlier)
          ? { kind: 'accepted', task: earlier, created: false }
          : { kind: 'key-reused', task: earlier };
    }
    const { task, created } = await this.store.submit(checked.task);
    if (created) this.metrics.submitted(task.type, task.priority);
    else if (!isSameSubmission(checked.task, task)) return { kind: 'key-reused', task };
    return { kind: 'accepted', task, created };
  }

  /** Many submissions in one transaction (in-process producers); all valid or nothing stored. */
  async submitMany(
    submissions: readonly TaskSubmission[],
  ): Promise<
    | { kind: 'invalid'; index: number; errors: FieldError[] }
    | { kind: 'accepted'; tasks: TaskRecord[] }
  > {
    const tasks = [];
    for (const [index, submission] of submissions.entries()) {
      const checked = await validateSubmission(submission, this.types, this.limits);
      if ('errors' in checked) return { kind: 'invalid', index, errors: checked.errors };
      tasks.push(checked.task);
    }
    const stored = await this.store.submitMany(tasks);
    for (const task of stored) this.metrics.submitted(task.type, task.priority);
    return { kind: 'accepted', tasks: stored };
  }

  get(id: string): Promise<TaskRecord | null> {
    return this.store.get(id);
  }

  list(filter: {
    status?: TaskStatus;
    type?: string;
    limit: number;
    after?: string;
  }): Promise<TaskPage> {
    return this.store.list(filter);
  }

  async cancel(id: string): Promise<{ task: TaskRecord; cancelled: boolean } | null> {
    const outcome = await this.store.cancel(id);
    if (outcome?.cancelled) this.metrics.finished(outcome.task.type, 'CANCELLED');
    return outcome;
  }

  /** The task now and each change until it is final; null when there is no such task. */
  async watch(id: string): Promise<Observable<TaskRecord> | null> {
    const task = await this.store.get(id);
    return task ? this.watcher.watch(task) : null;
  }
}
