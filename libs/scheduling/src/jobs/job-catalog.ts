import { SchedulingDefinitionError } from '../scheduling-definition.error';
import type { ScheduleOverride } from '../scheduling.options';
import { CronSchedule } from './cron-schedule';
import type { JobHandler } from './job-context';
import type { JobDefinition, MisfirePolicy, ResolvedJobDefinition } from './job-definition';

/** A job ready to schedule: its definition with defaults, its parsed schedule, its handler. */
export interface CatalogJob {
  definition: ResolvedJobDefinition;
  schedule: CronSchedule;
  handler: JobHandler;
}

/** A job as discovery found it. */
export interface DiscoveredJob {
  definition: JobDefinition;
  handler: JobHandler;
  /** The class that declared it (named when a name is used twice). */
  declaredBy: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const MAX_BACKFILL = 1000;

/**
 * The jobs of one scheduler, validated: every name unique and well-formed, every expression
 * and zone valid, every deployment schedule naming a declared job. The first problem throws a
 * {@link SchedulingDefinitionError} naming the job.
 */
export class JobCatalog {
  private readonly jobs = new Map<string, CatalogJob>();

  constructor(
    discovered: readonly DiscoveredJob[],
    schedules: Readonly<Record<string, ScheduleOverride>> = {},
  ) {
    const declaredBy = new Map<string, string>();
    for (const { definition, handler, declaredBy: owner } of discovered) {
      const name = definition.name;
      const fail = (problem: string): never => {
        throw new SchedulingDefinitionError('job', name, problem);
      };
      if (typeof name !== 'string' || !NAME.test(name))
        fail('the name must be 1 to 100 lower-case letters, digits, ".", "_" or "-"');
      const earlier = declaredBy.get(name);
      if (earlier) fail(`the name is declared twice (by ${earlier} and by ${owner})`);
      declaredBy.set(name, owner);
      if (typeof handler?.run !== 'function') fail(`${owner} has no run(context) method`);
      const override = schedules[name] ?? {};
      const resolved: ResolvedJobDefinition = {
        name,
        cron: override.cron ?? definition.cron,
        zone: override.zone ?? definition.zone ?? 'UTC',
        timeoutMs: definition.timeoutMs ?? 60_000,
        misfire: definition.misfire ?? { policy: 'fire-once' },
        description: definition.description ?? '',
      };
      if (!Number.isFinite(resolved.timeoutMs) || resolved.timeoutMs <= 0)
        fail(`timeoutMs must be a positive number, got ${resolved.timeoutMs}`);
      const misfireProblem = checkMisfire(resolved.misfire);
      if (misfireProblem) fail(misfireProblem);
      let schedule: CronSchedule;
      try {
        schedule = new CronSchedule(resolved.cron, resolved.zone);
      } catch (error) {
        return fail((error as Error).message);
      }
      this.jobs.set(name, { definition: resolved, schedule, handler });
    }
    for (const name of Object.keys(schedules)) {
      if (!this.jobs.has(name))
        throw new SchedulingDefinitionError(
          'job',
          name,
          `a schedule is configured for it, but no such job exists (jobs: ${this.names().join(', ') || 'none'})`,
        );
    }
  }

  get(name: string): CatalogJob | undefined {
    return this.jobs.get(name);
  }

  all(): CatalogJob[] {
    return [...this.jobs.values()];
  }

  names(): string[] {
    return [...this.jobs.keys()].sort();
  }
}

function checkMisfire(misfire: MisfirePolicy): string | undefined {
  if (misfire.policy === 'skip' || misfire.policy === 'fire-once') return undefined;
  if (misfire.policy === 'backfill')
    return Number.isInteger(misfire.limit) && misfire.limit >= 1 && misfire.limit <= MAX_BACKFILL
      ? undefined
      : `misfire backfill limit must be an integer from 1 to ${MAX_BACKFILL}, got ${misfire.limit}`;
  return `misfire policy must be skip, fire-once or backfill, got "${(misfire as { policy: string }).policy}"`;
}
