import { TroupeError } from '@troupe/schemas';

/** The scheduler stopped while a run or attempt was still going (retriable: another replica, or the next start, carries on). */
export class SchedulerStoppingError extends TroupeError {
  constructor(what: string) {
    super('scheduler.stopping', `${what} was aborted: the scheduler is stopping`, true);
  }
}
