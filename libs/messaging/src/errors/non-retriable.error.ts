import { TroupeError } from '@troupe/schemas';

/** Throw from a handler when trying again cannot help (invalid data, a broken invariant): the event is dead-lettered at once. */
export class NonRetriableError extends TroupeError {
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'non-retriable', message, false, options);
  }
}
