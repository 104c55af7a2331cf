import { DataServiceEnv } from '@troupe/messaging';
import type { LogFunction } from '@troupe/observability';
import type { ScheduleOverride, SchedulingOptions } from '@troupe/scheduling';
import { IsInt, IsUrl, Matches, Max, Min } from 'class-validator';

const SERVICE_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
/** `name=value;name=value` (the value may hold spaces, not ';' or '='). */
const PER_JOB =
  /^\s*$|^\s*[a-z0-9][a-z0-9._-]*\s*=\s*[^;=]+(;\s*[a-z0-9][a-z0-9._-]*\s*=\s*[^;=]+)*;?\s*$/;

/** Settings of the scheduler (environment variables of the same names). */
export class SchedulerConfig extends DataServiceEnv {
  override PORT = 3006;

  override DATABASE_URL = 'postgres://scheduler:scheduler@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'scheduler';

  override CONSUMER_GROUP = 'scheduler';

  /** Base URL of the orders service. */
  @IsUrl(SERVICE_URL)
  ORDERS_URL = 'http://127.0.0.1:3001';

  /** Base URL of the payments service. */
  @IsUrl(SERVICE_URL)
  PAYMENTS_URL = 'http://127.0.0.1:3002';

  /** Base URL of the compensation app (gap re-delivery; called with ADMIN_TOKEN). */
  @IsUrl(SERVICE_URL)
  COMPENSATION_URL = 'http://127.0.0.1:3008';

  /** How long one gap check of the compensation app may take. Default 60000 ms. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  GAP_CHECK_TIMEOUT_MS: number = 60_000;

  /** How long one call to a service may take. Default 5000 ms. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  UPSTREAM_TIMEOUT_MS: number = 5000;

  /** An order still PENDING this long after it was placed is cancelled (reason "timeout"). Default 900 s. */
  @IsInt()
  @Min(1)
  ORDER_PENDING_TIMEOUT_S: number = 900;

  /** The reconciliation covers the hours before its firing. Default 24. */
  @IsInt()
  @Min(1)
  @Max(24 * 31)
  RECONCILIATION_WINDOW_H: number = 24;

  /** A mismatch is checked again this long after it was found (in-flight flows settle meanwhile). Default 600 s. */
  @IsInt()
  @Min(0)
  RECONCILIATION_REVIEW_DELAY_S: number = 600;

  /**
   * Schedules replacing the jobs' own, `job=<cron>;job=<cron>`, e.g.
   * `deadline-monitor=*\/10 * * * * *`. A job that does not exist stops start-up.
   */
  @Matches(PER_JOB, { message: 'must be job=<cron expression> entries separated by ";"' })
  SCHEDULER_JOB_SCHEDULES = '';

  /** Time zones replacing the jobs' own, `job=<IANA zone>;...`, e.g. `daily-reconciliation=Europe/Berlin`. */
  @Matches(PER_JOB, { message: 'must be job=<time zone> entries separated by ";"' })
  SCHEDULER_JOB_ZONES = '';

  /** A firing noticed later than this is a misfire (its job's policy decides). Default 60000 ms. */
  @IsInt()
  @Min(100)
  SCHEDULER_MISFIRE_GRACE_MS: number = 60_000;

  /** Tasks run at the same time by one replica. Default 4. */
  @IsInt()
  @Min(1)
  @Max(64)
  SCHEDULER_TASK_CONCURRENCY: number = 4;

  /** The scheduling options these settings give (replica id: TROUPE_INSTANCE_ID, else host-pid). */
  schedulingOptions(log: LogFunction): SchedulingOptions {
    const schedules: Record<string, ScheduleOverride> = {};
    for (const [job, cron] of perJob(this.SCHEDULER_JOB_SCHEDULES)) schedules[job] = { cron };
    for (const [job, zone] of perJob(this.SCHEDULER_JOB_ZONES))
      schedules[job] = { ...schedules[job], zone };
    return {
      replicaId: this.TROUPE_INSTANCE_ID,
      misfireGraceMs: this.SCHEDULER_MISFIRE_GRACE_MS,
      taskConcurrency: this.SCHEDULER_TASK_CONCURRENCY,
      schedules,
      log,
    };
  }
}

function perJob(setting: string): Array<[string, string]> {
  return setting
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
    });
}
