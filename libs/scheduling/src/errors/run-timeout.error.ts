import { TroupeError } from '@troupe/schemas';

/** A job run or task attempt went on longer than its timeout and was aborted (retriable). */
export class RunTimeoutError extends TroupeError {
  constructor(what: string, timeoutMs: number) {
    super('scheduler.timeout', `${what} timed out after ${timeoutMs} ms`, true);
  }
}
