import type { LogFunction } from '@troupe/observability';
import type { RunTrigger } from './job-definition';

/** What a job's run knows about itself. */
export interface JobContext {
  readonly job: string;
  /** The run's id in the history. */
  readonly runId: string;
  /** The firing this run is for (for manual runs: when it was asked for). */
  readonly scheduledAt: Date;
  readonly trigger: RunTrigger;
  /** Aborted when the run times out or the scheduler stops: hand it to fetch and long loops. */
  readonly signal: AbortSignal;
  /**
   * Records a count the run found (stuck orders, mismatches). Kept with the run in the history
   * and exported as `troupe_scheduler_job_findings{job, finding}` once the run succeeded.
   */
  report(finding: string, value: number): void;
  /** The scheduler's log, with the job and run id added. */
  readonly log: LogFunction;
}

/**
 * A job: orchestration only. It calls services' HTTP APIs, creates tasks, or publishes events
 * through the outbox; it never touches another service's tables. A run may be cut short
 * (timeout, a replica dying), and a later firing runs it again, so a run must be safe to repeat:
 * work that must happen exactly once belongs in a task.
 */
export interface JobHandler {
  run(context: JobContext): Promise<void>;
}
