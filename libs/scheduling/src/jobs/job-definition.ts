/**
 * What happens to firings that were missed (the scheduler was down, or the previous run was
 * still going) when the scheduler notices them later than `misfireGraceMs`:
 * - `skip`: none of them runs; the job waits for its next firing on time.
 * - `fire-once`: the latest of them runs once (late), the others are skipped.
 * - `backfill`: the latest `limit` of them run, oldest first; older ones are skipped.
 * Firings noticed in time always run. Skipped firings appear in the run history as MISSED, so
 * every firing is accounted for.
 */
export type MisfirePolicy =
  { policy: 'skip' } | { policy: 'fire-once' } | { policy: 'backfill'; limit: number };

/** A job as its @ScheduledJob decorator declares it. */
export interface JobDefinition {
  /** Unique among the jobs of the scheduler; the key of its history and of the admin API. */
  name: string;
  /** Cron expression: 5 fields (minute precision) or 6 (seconds first), croner syntax. */
  cron: string;
  /** IANA time zone the expression is read in. Default 'UTC'. */
  zone?: string;
  /** A run still going after this long is aborted and recorded as TIMED_OUT. Default 60000 ms. */
  timeoutMs?: number;
  /** Default `{ policy: 'fire-once' }`. */
  misfire?: MisfirePolicy;
  /** One line for the admin API. */
  description?: string;
}

/** A definition with its defaults and the deployment's schedule applied. */
export interface ResolvedJobDefinition {
  name: string;
  cron: string;
  zone: string;
  timeoutMs: number;
  misfire: MisfirePolicy;
  description: string;
}

/** How a run came about (column `trigger` of the run history). */
export type RunTrigger = 'schedule' | 'misfire' | 'manual';

/** Outcomes in the run history. RUNNING: claimed and not finished (or its replica died). */
export type RunOutcome = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABANDONED' | 'MISSED';
