import type { MisfirePolicy } from './job-definition';
import type { JobCatalog } from './job-catalog';
import type { ClaimedRun, JobRunStore, RunRecord } from './job-run.store';
import type { JobScheduler } from './job-scheduler';

/** A job as the admin API shows it. */
export interface JobView {
  name: string;
  description: string;
  cron: string;
  zone: string;
  timeoutMs: number;
  misfire: MisfirePolicy;
  paused: boolean;
  /** The next firing after now (it may still wait while paused or while a run is going). */
  nextFiringAt: Date;
  lastRun: RunRecord | null;
  lastSuccessAt: Date | null;
}

export type TriggerResult =
  { outcome: 'started'; run: ClaimedRun } | { outcome: 'busy' } | { outcome: 'unknown-job' };

/** The scheduler's jobs, for the admin API: their state, history, and manual control. */
export class ScheduledJobs {
  private catalog?: JobCatalog;

  constructor(
    private readonly store: JobRunStore,
    private readonly scheduler: JobScheduler,
  ) {}

  /** Called once at start-up with the validated jobs. */
  use(catalog: JobCatalog): void {
    this.catalog = catalog;
  }

  names(): string[] {
    return this.catalog?.names() ?? [];
  }

  async list(now = new Date()): Promise<JobView[]> {
    const [states, latest] = await Promise.all([this.store.states(), this.store.latest()]);
    return (this.catalog?.all() ?? []).map(({ definition, schedule }) => ({
      name: definition.name,
      description: definition.description,
      cron: definition.cron,
      zone: definition.zone,
      timeoutMs: definition.timeoutMs,
      misfire: definition.misfire,
      paused: states.get(definition.name)?.paused ?? false,
      nextFiringAt: schedule.next(now),
      lastRun: latest.get(definition.name)?.last ?? null,
      lastSuccessAt: latest.get(definition.name)?.lastSuccess?.finishedAt ?? null,
    }));
  }

  async get(name: string): Promise<JobView | undefined> {
    return (await this.list()).find((job) => job.name === name);
  }

  /** Newest first. */
  async history(name: string, limit: number): Promise<RunRecord[] | undefined> {
    if (!this.catalog?.get(name)) return undefined;
    return this.store.history(name, limit);
  }

  async trigger(name: string): Promise<TriggerResult> {
    const job = this.catalog?.get(name);
    if (!job) return { outcome: 'unknown-job' };
    const run = await this.scheduler.trigger(job);
    return run === 'busy' ? { outcome: 'busy' } : { outcome: 'started', run };
  }

  /** False for an unknown job. */
  async setPaused(name: string, paused: boolean): Promise<boolean> {
    if (!this.catalog?.get(name)) return false;
    await this.store.setPaused(name, paused);
    return true;
  }
}
