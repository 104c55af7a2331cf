// The public door of @troupe/scheduling: scheduled jobs that fire once across replicas, and a
// task table with leases and bounded retries, for NestJS services on PostgreSQL.
export { SchedulingModule } from './nest/scheduling.module';
export type { SchedulingModuleAsyncOptions } from './nest/scheduling.module';
export { SCHEDULING_OPTIONS } from './nest/scheduling.tokens';
export type {
  SchedulingOptions,
  ResolvedSchedulingOptions,
  ScheduleOverride,
} from './scheduling.options';
export { resolveSchedulingOptions } from './scheduling.options';
export { SchedulingDefinitionError } from './scheduling-definition.error';
export { SCHEDULER_METRIC } from './scheduler-metric-names';
export { SchedulingMetrics } from './metrics/scheduling-metrics';
export {
  SCHEDULING_MIGRATIONS,
  SchedulingTables1734000000000,
} from './persistence/scheduling-tables.migration';

export { ScheduledJob } from './jobs/scheduled-job.decorator';
export type {
  JobDefinition,
  MisfirePolicy,
  RunOutcome,
  RunTrigger,
  ResolvedJobDefinition,
} from './jobs/job-definition';
export type { JobContext, JobHandler } from './jobs/job-context';
export { CronSchedule } from './jobs/cron-schedule';
export { ScheduledJobs } from './jobs/scheduled-jobs';
export type { JobView, TriggerResult } from './jobs/scheduled-jobs';
export type { ClaimedRun, RunRecord } from './jobs/job-run.store';

export { TaskHandler } from './tasks/task-handler.decorator';
export type {
  TaskTypeDefinition,
  TaskBackoff,
  TaskStatus,
  AttemptOutcome,
} from './tasks/task-definition';
export { TASK_STATUSES } from './tasks/task-definition';
export type { TaskContext, TaskRunner, TaskRecord, TaskAttempt } from './tasks/task-context';
export { TaskQueue } from './tasks/task-queue';
export type { NewTask, RetryResult } from './tasks/task-queue';
export type { TaskFilter } from './tasks/task.store';
export { LeaseLostError } from './errors/lease-lost.error';
export { RunTimeoutError } from './errors/run-timeout.error';
