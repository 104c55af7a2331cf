/** Every metric the scheduler exports, named in one place (dashboards and alert rules use these). */
export const SCHEDULER_METRIC = {
  /** Counter {job_name, trigger, outcome}: job runs this replica finished. */
  jobRuns: 'troupe_scheduler_job_runs_total',
  /** Histogram {job_name}: run time of finished runs. */
  jobDuration: 'troupe_scheduler_job_duration_seconds',
  /** Counter {job_name}: firings a misfire policy did not run. */
  jobMisfires: 'troupe_scheduler_job_misfires_total',
  /** Gauge {job_name}: when the job last succeeded (any replica; read from the run history). */
  jobLastSuccess: 'troupe_scheduler_job_last_success_timestamp_seconds',
  /** Gauge {job_name}: the time between two firings of the job's schedule (for "overdue" alerts). */
  jobInterval: 'troupe_scheduler_job_interval_seconds',
  /** Gauge {job_name}: 1 while the job is paused. */
  jobPaused: 'troupe_scheduler_job_paused',
  /** Gauge {job_name, finding}: what the job's last successful run reported (JobContext.report). */
  jobFindings: 'troupe_scheduler_job_findings',
  /** Counter {type, outcome}: task attempts this replica finished. */
  taskAttempts: 'troupe_scheduler_task_attempts_total',
  /** Gauge {type, status}: tasks in the table. */
  tasks: 'troupe_scheduler_tasks',
  /** Gauge {type}: age of the oldest PENDING task. */
  oldestPendingTaskAge: 'troupe_scheduler_task_oldest_pending_age_seconds',
} as const;
