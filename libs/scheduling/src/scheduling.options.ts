import * as os from 'node:os';
import type { LogFunction } from '@troupe/observability';

/** A job's schedule as configured at deployment, replacing what its decorator says. */
export interface ScheduleOverride {
  cron?: string;
  zone?: string;
}

/** Options of the scheduler in one process; every field has a default. Validated once at start-up. */
export interface SchedulingOptions {
  /** Names this process in the run history and on task leases. Default `<hostname>-<pid>`. */
  replicaId?: string;
  /** How often due firings are looked for. Default 1000 ms. */
  tickIntervalMs?: number;
  /**
   * A firing noticed later than this after its time, or later than its job's period if that is
   * shorter, is a misfire (the scheduler was down or busy) and its job's misfire policy decides;
   * earlier it simply runs. Default 60000 ms.
   */
  misfireGraceMs?: number;
  /** Missed firings recorded one by one per decision; older ones are only counted. Default 100. */
  maxRecordedMisfires?: number;
  /** How often due tasks are looked for. Default 500 ms. */
  taskPollIntervalMs?: number;
  /** Tasks run at the same time in this process. Default 4. */
  taskConcurrency?: number;
  /** How long stop() waits for job runs and tasks in flight before abandoning them. Default 10000 ms. */
  shutdownTimeoutMs?: number;
  /** Run history and SUCCEEDED tasks older than this are deleted. Default 30 days. */
  historyRetentionMs?: number;
  /** Schedules by job name, from the deployment (a job not declared here stops start-up). Default none. */
  schedules?: Readonly<Record<string, ScheduleOverride>>;
  /** Where the scheduler logs. Default: nowhere. */
  log?: LogFunction;
}

export interface ResolvedSchedulingOptions {
  replicaId: string;
  tickIntervalMs: number;
  misfireGraceMs: number;
  maxRecordedMisfires: number;
  taskPollIntervalMs: number;
  taskConcurrency: number;
  shutdownTimeoutMs: number;
  historyRetentionMs: number;
  schedules: Readonly<Record<string, ScheduleOverride>>;
  log: LogFunction;
}

const NAME = /^[a-zA-Z0-9._-]+$/;

/** Fills defaults; a bad setting throws naming it. */
export function resolveSchedulingOptions(
  options: SchedulingOptions = {},
): ResolvedSchedulingOptions {
  const fail = (setting: string, problem: string): never => {
    throw new Error(`scheduling option ${setting} ${problem}`);
  };
  const positive = (setting: keyof SchedulingOptions, fallback: number, integer = false) => {
    const value = (options[setting] as number | undefined) ?? fallback;
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
      fail(setting, `must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
    return value;
  };
  const replicaId = options.replicaId ?? `${os.hostname()}-${process.pid}`;
  if (!NAME.test(replicaId))
    fail('replicaId', `must be letters, digits, '.', '_' or '-', got "${replicaId}"`);
  return {
    replicaId,
    tickIntervalMs: positive('tickIntervalMs', 1000),
    misfireGraceMs: positive('misfireGraceMs', 60_000),
    maxRecordedMisfires: positive('maxRecordedMisfires', 100, true),
    taskPollIntervalMs: positive('taskPollIntervalMs', 500),
    taskConcurrency: positive('taskConcurrency', 4, true),
    shutdownTimeoutMs: positive('shutdownTimeoutMs', 10_000),
    historyRetentionMs: positive('historyRetentionMs', 30 * 24 * 3600_000),
    schedules: options.schedules ?? {},
    log: options.log ?? (() => undefined),
  };
}
