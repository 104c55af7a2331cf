import type { JobCatalog } from '../jobs/job-catalog';
import type { JobRunStore } from '../jobs/job-run.store';
import type { TaskCatalog } from '../tasks/task-catalog';
import { TASK_STATUSES } from '../tasks/task-definition';
import type { TaskStore } from '../tasks/task.store';
import type { SchedulingSnapshot } from './scheduling-metrics';

/**
 * Reads what the gauges show from the tables. Every declared task type appears with every
 * status (0 when it has none), so a series does not vanish when its last task moves on.
 */
export async function readSchedulingSnapshot(
  jobs: JobCatalog,
  taskTypes: TaskCatalog,
  runs: JobRunStore,
  tasks: TaskStore,
): Promise<SchedulingSnapshot> {
  const [latest, states, table] = await Promise.all([
    runs.latest(),
    runs.states(),
    tasks.snapshot(),
  ]);
  const now = new Date();
  const counts = new Map<string, number>();
  for (const type of taskTypes.names())
    for (const status of TASK_STATUSES) counts.set(`${type}\u0000${status}`, 0);
  for (const row of table.counts) counts.set(`${row.type}\u0000${row.status}`, row.count);
  return {
    jobs: jobs.all().map(({ definition, schedule }) => {
      const success = latest.get(definition.name)?.lastSuccess;
      return {
        job: definition.name,
        paused: states.get(definition.name)?.paused ?? false,
        intervalSeconds: schedule.intervalSeconds(now),
        lastSuccessAt: success?.finishedAt ?? undefined,
        findings: success?.findings ?? {},
      };
    }),
    tasks: [...counts].map(([key, count]) => {
      const [type, status] = key.split('\u0000');
      return { type, status: status as (typeof TASK_STATUSES)[number], count };
    }),
    oldestPendingAgeSeconds: [...table.oldestPendingAgeSeconds].map(([type, seconds]) => ({
      type,
      seconds,
    })),
  };
}
