/**
 * The base of every error Troupe raises or asks handlers to raise. Retry and dead-letter
 * decisions read only `retriable` and `code`, never the class or the message.
 */
export class TroupeError extends Error {
  constructor(
    /** Stable, machine-readable: dashboards, alerts and dead-letter headers carry it. */
    readonly code: string,
    message: string,
    /** Whether trying again later can succeed. */
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Reads the retry verdict of any thrown value: unknown errors count as retriable. */
export function isRetriable(error: unknown): boolean {
  return error instanceof TroupeError ? error.retriable : true;
}

/** The stable code of any thrown value; unknown errors are `unexpected`. */
export function errorCode(error: unknown): string {
  return error instanceof TroupeError ? error.code : 'unexpected';
}
