import { UpstreamError } from './upstream.error';

/** A basic service's answer to a request it understood (any status below 500). */
export interface ServiceResponse<T> {
  status: number;
  body: T;
}

/**
 * JSON over HTTP to one basic service, with a timeout per call (Node's fetch). Contract:
 * statuses below 500 are answers and are returned; anything else (connection refused, timeout,
 * 5xx, a body that is not JSON) throws {@link UpstreamError}.
 */
export class ServiceClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** GET; null on 404. */
  async get<T>(path: string): Promise<T | null> {
    const response = await this.request<T>('GET', path);
    if (response.status === 404) return null;
    if (response.status >= 300)
      throw new UpstreamError(this.service, `GET ${path} answered ${response.status}`);
    return response.body;
  }

  async post<T>(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<ServiceResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ServiceResponse<T>> {
    const url = new URL(path, this.baseUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${this.timeoutMs} ms` : describe(error);
      throw new UpstreamError(
        this.service,
        `${method} ${url.pathname} failed: ${reason}`,
        timedOut ? 'timeout' : reason === 'ECONNREFUSED' ? 'unreachable' : 'failed',
        { cause: error },
      );
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new UpstreamError(
        this.service,
        `${method} ${url.pathname} answered ${response.status}`,
        response.status === 503 ? 'unavailable' : 'failed',
        { retryAfterSeconds: retryAfterOf(response) },
      );
    }
    const text = await response.text();
    try {
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    } catch (error) {
      throw new UpstreamError(
        this.service,
        `${method} ${url.pathname} answered ${response.status} with a body that is not JSON`,
        'failed',
        { cause: error },
      );
    }
  }
}

/** Retry-After in seconds (RFC 9110: delay-seconds; an HTTP date is read as unknown). */
function retryAfterOf(response: Response): number | undefined {
  const raw = response.headers.get('retry-after');
  return raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

/** fetch hides the reason (ECONNREFUSED...) in `cause`. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
