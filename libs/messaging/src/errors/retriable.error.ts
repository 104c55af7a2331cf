import { TroupeError } from '@troupe/schemas';

/** Throw from a handler when trying again later can succeed (a dependency is down, a lock timed out). */
export class RetriableError extends TroupeError {
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'retriable', message, true, options);
  }
}
