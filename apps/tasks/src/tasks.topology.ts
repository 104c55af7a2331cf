import { ServiceTopology } from '@troupe/messaging';
import { TaskSubmitted } from '@troupe/schemas';
import { TASK_EVENTS, workerGroupOf } from '@troupe/tasks';

/**
 * What the tasks app publishes (its task events, through the outbox) and reads: its workers
 * share one group that takes TaskSubmitted as wake-ups, through the Transport directly.
 * Read by TasksModule's wiring and by `npm run topology`.
 */
export const tasksTopology: ServiceTopology = {
  service: 'tasks',
  publishes: [...TASK_EVENTS],
  handlers: [],
  directGroups: [{ group: workerGroupOf('tasks'), events: [TaskSubmitted] }],
};
