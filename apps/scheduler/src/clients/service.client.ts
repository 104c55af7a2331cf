import { RetriableError } from '@troupe/messaging';

/** A service's answer to a request it understood (any status below 500). */
export interface ServiceAnswer<T> {
  status: number;
  body: T;
}

/**
 * JSON over HTTP to one service, as jobs and tasks use it. Contract: statuses below 500 are
 * answers and are returned (the caller decides what a 404 or 409 means); a refused connection,
 * a timeout, a 5xx or a body that is not JSON throws RetriableError, so a task tries again
 * after its back-off. The caller's AbortSignal (timeout, lost lease) ends the call too.
 */
export class ServiceClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: {
      query?: Record<string, string | undefined>;
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    } = {},
  ): Promise<ServiceAnswer<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, value);
    const what = `${this.service}: ${method} ${url.pathname}`;
    const signals = [
      AbortSignal.timeout(this.timeoutMs),
      ...(options.signal ? [options.signal] : []),
    ];
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : describe(error);
      throw new RetriableError(`${what} failed: ${reason}`, {
        code: 'upstream.unavailable',
        cause: error,
      });
    }
    if (response.status >= 500)
      throw new RetriableError(`${what} answered ${response.status}`, { code: 'upstream.error' });
    const text = await response.text();
    try {
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    } catch (error) {
      throw new RetriableError(`${what} answered ${response.status} with a body that is not JSON`, {
        code: 'upstream.garbled',
        cause: error,
      });
    }
  }
}

/** fetch hides the reason (ECONNREFUSED...) in `cause`. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
