// The public door of @troupe/tasks: web-queue-worker on the service's PostgreSQL and Troupe's outbox.
import { TaskCancelled, TaskFailed, TaskSubmitted, TaskSucceeded } from '@troupe/schemas';

export { defineTask } from './definition/task-type';
export type { TaskType } from './definition/task-type';
export type { TaskTypeOptions, ResolvedTaskTypeOptions } from './definition/task-type.options';
export type { TaskContext, TaskHandler } from './definition/task-context';
export { TaskWorker } from './definition/task-worker.decorator';
export { LeaseLostError } from './definition/lease-lost.error';
export { TasksModule } from './nest/tasks.module';
export type { TasksModuleOptions } from './nest/tasks-module.options';
export type { TaskWorkerOptions } from './tasks.options';
export { TaskService } from './service/task.service';
export type { SubmitResult } from './service/task.service';
export type { TaskSubmission } from './service/task-submission';
export type { FieldError } from './validation/field-error';
export type { TaskRecord, TaskAttempt } from './store/task-row';
export type { TaskPage } from './store/task.store';
export { TASK_MIGRATIONS, TroupeTasks1735000000000 } from './store/tasks-tables.migration';
export { TASK_PRIORITIES, priorityOf, priorityRank } from './task-priority';
export type { TaskPriority } from './task-priority';
export { TASK_STATUSES, isFinal } from './task-status';
export type { TaskStatus } from './task-status';
export { TASK_METRIC, TASK_TABLES, workerGroupOf } from './task-names';
export { DEFAULT_PRIORITY_WEIGHTS } from './policy/priority-quota.picker';
export type { PriorityWeights } from './policy/priority-quota.picker';

/** The events a tasks service publishes: list them in TroupeModule's `publishes`. */
export const TASK_EVENTS = [TaskSubmitted, TaskSucceeded, TaskFailed, TaskCancelled] as const;
