import { TroupeError } from '@troupe/schemas';

/** The runner no longer holds the task (its lease expired and another replica took it over). */
export class LeaseLostError extends TroupeError {
  constructor(taskId: string, attempt: number) {
    super(
      'task.lease-lost',
      `task ${taskId}: attempt ${attempt} lost its lease; the new owner carries on`,
      false,
    );
  }
}
