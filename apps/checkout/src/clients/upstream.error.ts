/**
 * How a basic service failed to give a usable answer:
 * - `timeout`: no answer within the upstream timeout (the request may have taken effect);
 * - `unreachable`: the connection was refused (the request never arrived);
 * - `unavailable`: it answered 503 (overloaded or waiting for a dependency);
 * - `failed`: any other 5xx, a dropped connection, or a body that is not JSON.
 */
export type UpstreamFailure = 'timeout' | 'unreachable' | 'unavailable' | 'failed';

/** A basic service did not give a usable answer; `failure` says how (504, 503 or 502 for callers). */
export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly failure: UpstreamFailure = 'failed',
    options?: ErrorOptions & {
      /** The service's own Retry-After (seconds), when it sent one. */
      retryAfterSeconds?: number;
    },
  ) {
    super(`${service}: ${message}`, options);
    this.name = 'UpstreamError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  readonly retryAfterSeconds?: number;

  get timedOut(): boolean {
    return this.failure === 'timeout';
  }
}
