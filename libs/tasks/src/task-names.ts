/**
 * Names the task machinery uses, written down once: tables (in the service's schema), the
 * workers' consumer group and the metric names (dashboards and alert rules use these).
 */
export const TASK_TABLES = {
  tasks: 'tasks',
  rateLimits: 'task_rate_limits',
} as const;

/** The consumer group every worker replica of a service joins (one group: replicas share wake-ups). */
export const workerGroupOf = (service: string): string => `${service}.workers`;

export const TASK_METRIC = {
  /** Counter {type, priority}: tasks accepted (stored). */
  submitted: 'troupe_tasks_submitted_total',
  /** Counter {type, status}: tasks reaching SUCCEEDED, FAILED or CANCELLED. */
  finished: 'troupe_tasks_finished_total',
  /** Counter {type, outcome}: attempts ended, outcome succeeded | retried | failed | lease_expired | stale. */
  attempts: 'troupe_tasks_attempts_total',
  /** Gauge {type, status}: tasks PENDING or RUNNING now (from the table, at scrape time). */
  tasks: 'troupe_tasks',
  /** Gauge {priority}: PENDING tasks that are due now (the queue a worker takes from). */
  queueDepth: 'troupe_tasks_queue_depth',
  /** Gauge {priority}: age of the oldest due PENDING task, 0 when none. */
  oldestDueAge: 'troupe_tasks_oldest_due_age_seconds',
  /** Histogram {type, priority}: from submit (or runAt, when later) to the first start. */
  submitToStart: 'troupe_tasks_submit_to_start_seconds',
  /** Histogram {type, status}: from submit to SUCCEEDED or FAILED. */
  submitToFinish: 'troupe_tasks_submit_to_finish_seconds',
  /** Gauge {type}: attempts running in this worker process. */
  running: 'troupe_tasks_running',
} as const;
