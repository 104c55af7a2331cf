/** The priorities a task can have, most urgent first. Stored as their index (0 = high). */
export const TASK_PRIORITIES = ['high', 'normal', 'low'] as const;

export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** The stored rank of a priority: 0 (high) to 2 (low). */
export function priorityRank(priority: TaskPriority): number {
  return TASK_PRIORITIES.indexOf(priority);
}

export function priorityOf(rank: number): TaskPriority {
  const priority = TASK_PRIORITIES[rank];
  if (!priority) throw new Error(`no task priority has rank ${rank}`);
  return priority;
}

export function isTaskPriority(value: unknown): value is TaskPriority {
  return (TASK_PRIORITIES as readonly unknown[]).includes(value);
}
