import { TroupeError } from '@troupe/schemas';

/** The task is no longer this attempt's (its lease expired and it was retried, or it was stopped). */
export class LeaseLostError extends TroupeError {
  constructor(taskId: string) {
    super('task.lease-lost', `task ${taskId} is no longer held by this attempt`, false);
  }
}
