/**
 * A basic service did not give a usable answer: unreachable, too slow, or a 5xx. `timedOut`
 * tells a slow service from a broken one (504 vs 502 for callers).
 */
export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly timedOut = false,
    options?: ErrorOptions,
  ) {
    super(`${service}: ${message}`, options);
    this.name = 'UpstreamError';
  }
}
