import { TroupeError } from '@troupe/schemas';

/** A handler attempt took longer than its timeoutMs; retried like any transient failure. */
export class HandlerTimeoutError extends TroupeError {
  constructor(handlerName: string, timeoutMs: number) {
    super('handler-timeout', `handler ${handlerName} did not finish within ${timeoutMs} ms`, true);
  }
}
