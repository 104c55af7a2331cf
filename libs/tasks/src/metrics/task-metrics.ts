import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TASK_METRIC } from '../task-names';
import { priorityOf } from '../task-priority';

/** A snapshot of the table the gauges show, taken at scrape time. */
export interface QueueSnapshot {
  byTypeAndStatus: Array<{ type: string; status: string; count: number }>;
  byPriority: Array<{ priority: number; due: number; oldestDueAgeSeconds: number }>;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** The task instruments on the service's registry (the one /metrics serves). */
export class TaskMetrics {
  private readonly submittedTotal: Counter<'type' | 'priority'>;
  private readonly finishedTotal: Counter<'type' | 'status'>;
  private readonly attemptsTotal: Counter<'type' | 'outcome'>;
  private readonly toStart: Histogram<'type' | 'priority'>;
  private readonly toFinish: Histogram<'type' | 'status'>;
  private readonly runningNow: Gauge<'type'>;

  constructor(registry: Registry, snapshot: () => Promise<QueueSnapshot>) {
    const registers = [registry];
    this.submittedTotal = new Counter({
      name: TASK_METRIC.submitted,
      help: 'Tasks accepted',
      labelNames: ['type', 'priority'],
      registers,
    });
    this.finishedTotal = new Counter({
      name: TASK_METRIC.finished,
      help: 'Tasks that reached SUCCEEDED, FAILED or CANCELLED',
      labelNames: ['type', 'status'],
      registers,
    });
    this.attemptsTotal = new Counter({
      name: TASK_METRIC.attempts,
      help: 'Attempts ended, by outcome',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.toStart = new Histogram({
      name: TASK_METRIC.submitToStart,
      help: 'Submit (or runAt, when later) to first start',
      labelNames: ['type', 'priority'],
      buckets: SECONDS,
      registers,
    });
    this.toFinish = new Histogram({
      name: TASK_METRIC.submitToFinish,
      help: 'Submit to SUCCEEDED or FAILED',
      labelNames: ['type', 'status'],
      buckets: SECONDS,
      registers,
    });
    this.runningNow = new Gauge({
      name: TASK_METRIC.running,
      help: 'Attempts running in this worker process',
      labelNames: ['type'],
      registers,
    });
    // One table snapshot per scrape feeds the three table gauges.
    let pending: Promise<QueueSnapshot> | undefined;
    const shared = () =>
      (pending ??= snapshot().finally(() => setTimeout(() => (pending = undefined), 100).unref()));
    new Gauge({
      name: TASK_METRIC.tasks,
      help: 'Tasks PENDING or RUNNING now',
      labelNames: ['type', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await shared()).byTypeAndStatus)
          this.set({ type: row.type, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: TASK_METRIC.queueDepth,
      help: 'PENDING tasks due now, per priority',
      labelNames: ['priority'],
      registers,
      async collect() {
        const rows = (await shared()).byPriority;
        for (const rank of [0, 1, 2])
          this.set({ priority: priorityOf(rank) }, rows.find((r) => r.priority === rank)?.due ?? 0);
      },
    });
    new Gauge({
      name: TASK_METRIC.oldestDueAge,
      help: 'Age of the oldest due PENDING task, per priority',
      labelNames: ['priority'],
      registers,
      async collect() {
        const rows = (await shared()).byPriority;
        for (const rank of [0, 1, 2])
          this.set(
            { priority: priorityOf(rank) },
            rows.find((r) => r.priority === rank)?.oldestDueAgeSeconds ?? 0,
          );
      },
    });
  }

  submitted(type: string, priority: number, count = 1): void {
    this.submittedTotal.inc({ type, priority: priorityOf(priority) }, count);
  }

  started(type: string, priority: number, waitedSeconds: number): void {
    this.toStart.observe({ type, priority: priorityOf(priority) }, Math.max(0, waitedSeconds));
  }

  running(type: string, delta: number): void {
    this.runningNow.inc({ type }, delta);
  }

  attemptEnded(
    type: string,
    outcome: 'succeeded' | 'retried' | 'failed' | 'lease_expired' | 'stale' | 'interrupted',
  ): void {
    this.attemptsTotal.inc({ type, outcome });
  }

  finished(
    type: string,
    status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED',
    submittedAt?: Date,
    finishedAt?: Date,
  ): void {
    this.finishedTotal.inc({ type, status });
    if (status !== 'CANCELLED' && submittedAt && finishedAt)
      this.toFinish.observe(
        { type, status },
        Math.max(0, (finishedAt.getTime() - submittedAt.getTime()) / 1000),
      );
  }
}
