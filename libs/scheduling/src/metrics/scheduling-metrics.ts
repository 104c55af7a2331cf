import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SCHEDULER_METRIC } from '../scheduler-metric-names';
import type { TaskStatus } from '../tasks/task-definition';

/**
 * What the scheduler's tables say right now, read at scrape time. Every replica reads the same
 * tables, so every replica reports the same values: aggregate with max() across replicas.
 */
export interface SchedulingSnapshot {
  jobs: Array<{
    job: string;
    paused: boolean;
    intervalSeconds: number;
    lastSuccessAt?: Date;
    findings: Record<string, number>;
  }>;
  tasks: Array<{ type: string; status: TaskStatus; count: number }>;
  oldestPendingAgeSeconds: Array<{ type: string; seconds: number }>;
}

const EMPTY: SchedulingSnapshot = { jobs: [], tasks: [], oldestPendingAgeSeconds: [] };

/**
 * The scheduler's instruments on the service's registry (TroupeMetrics.registry). Counters are
 * what this replica did; gauges are read from the database when scraped. The job's label is
 * `job_name`: Prometheus keeps `job` for the scrape job (it would rename ours exported_job).
 */
export class SchedulingMetrics {
  private readonly runs: Counter<'job_name' | 'trigger' | 'outcome'>;
  private readonly duration: Histogram<'job_name'>;
  private readonly misfires: Counter<'job_name'>;
  private readonly attempts: Counter<'type' | 'outcome'>;
  private source: () => Promise<SchedulingSnapshot> = async () => EMPTY;
  private pending?: { at: number; snapshot: Promise<SchedulingSnapshot> };

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.runs = new Counter({
      name: SCHEDULER_METRIC.jobRuns,
      help: 'Job runs this replica finished, by trigger and outcome',
      labelNames: ['job_name', 'trigger', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: SCHEDULER_METRIC.jobDuration,
      help: 'Run time of finished job runs',
      labelNames: ['job_name'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.misfires = new Counter({
      name: SCHEDULER_METRIC.jobMisfires,
      help: 'Firings that were missed and not run (misfire policy)',
      labelNames: ['job_name'],
      registers,
    });
    this.attempts = new Counter({
      name: SCHEDULER_METRIC.taskAttempts,
      help: 'Task attempts finished on this replica, by outcome',
      labelNames: ['type', 'outcome'],
      registers,
    });
    const read = () => this.snapshot();
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
      fill: (g: Gauge<L>, s: SchedulingSnapshot) => void,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          const snapshot = await read();
          this.reset();
          fill(this, snapshot);
        },
      });
    gauge(
      SCHEDULER_METRIC.jobLastSuccess,
      'When the job last succeeded (unix seconds)',
      ['job_name'],
      (g, s) => {
        for (const job of s.jobs)
          if (job.lastSuccessAt) g.set({ job_name: job.job }, job.lastSuccessAt.getTime() / 1000);
      },
    );
    gauge(
      SCHEDULER_METRIC.jobInterval,
      'Seconds between two firings of the job',
      ['job_name'],
      (g, s) => {
        for (const job of s.jobs) g.set({ job_name: job.job }, job.intervalSeconds);
      },
    );
    gauge(SCHEDULER_METRIC.jobPaused, '1 while the job is paused', ['job_name'], (g, s) => {
      for (const job of s.jobs) g.set({ job_name: job.job }, job.paused ? 1 : 0);
    });
    gauge(
      SCHEDULER_METRIC.jobFindings,
      "What the job's last successful run reported",
      ['job_name', 'finding'],
      (g, s) => {
        for (const job of s.jobs)
          for (const [finding, value] of Object.entries(job.findings))
            g.set({ job_name: job.job, finding }, value);
      },
    );
    gauge(SCHEDULER_METRIC.tasks, 'Tasks by type and status', ['type', 'status'], (g, s) => {
      for (const row of s.tasks) g.set({ type: row.type, status: row.status }, row.count);
    });
    gauge(
      SCHEDULER_METRIC.oldestPendingTaskAge,
      'Age of the oldest PENDING task by type',
      ['type'],
      (g, s) => {
        for (const row of s.oldestPendingAgeSeconds) g.set({ type: row.type }, row.seconds);
      },
    );
  }

  /** Where the gauges read from (set once the scheduler knows its jobs and task types). */
  observe(source: () => Promise<SchedulingSnapshot>): void {
    this.source = source;
  }

  jobRunFinished(job: string, trigger: string, outcome: string, seconds?: number): void {
    this.runs.inc({ job_name: job, trigger, outcome });
    if (seconds !== undefined) this.duration.observe({ job_name: job }, seconds);
  }

  misfired(job: string, count: number): void {
    if (count > 0) this.misfires.inc({ job_name: job }, count);
  }

  taskAttemptFinished(type: string, outcome: string): void {
    this.attempts.inc({ type, outcome });
  }

  /** One database read per scrape, shared by the gauges; a failed read shows empty gauges. */
  private snapshot(): Promise<SchedulingSnapshot> {
    const now = Date.now();
    if (!this.pending || now - this.pending.at > 1000)
      this.pending = { at: now, snapshot: this.source().catch(() => EMPTY) };
    return this.pending.snapshot;
  }
}
