/** One service's answer to an admin request: its body, or why there is none. */
export type ServiceAnswer<T> =
  | { service: string; ok: true; body: T }
  | {
      service: string;
      ok: false;
      /** 'unreachable': no HTTP answer in time; 'refused': an HTTP error status (e.g. 401: the token differs). */
      failure: 'unreachable' | 'refused';
      status?: number;
      problem: string;
    };

export interface ServiceAdminClientOptions {
  /** The services and their base URLs (CompensationConfig.serviceAdminUrls()). */
  services: ReadonlyMap<string, string>;
  /** Sent as `Authorization: Bearer <token>`; never logged or put in a problem. */
  token?: string;
  /** Per request. */
  timeoutMs: number;
}

/**
 * Talks to the admin endpoints TroupeModule adds to every service (/troupe/admin/...). The
 * compensation app never reads another service's tables: it asks the service. A service that
 * does not answer is an answer too (`ok: false`), never an exception, so one service down does
 * not hide what the others know.
 */
export class ServiceAdminClient {
  constructor(private readonly options: ServiceAdminClientOptions) {}

  services(): string[] {
    return [...this.options.services.keys()];
  }

  has(service: string): boolean {
    return this.options.services.has(service);
  }

  /** The same request to every service at once, answers in the configured order. */
  all<T>(
    method: 'GET' | 'POST',
    path: (service: string) => string,
    body?: unknown,
  ): Promise<Array<ServiceAnswer<T>>> {
    return Promise.all(
      this.services().map((service) => this.request<T>(service, method, path(service), body)),
    );
  }

  async request<T>(
    service: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<ServiceAnswer<T>> {
    const base = this.options.services.get(service);
    if (!base)
      return {
        service,
        ok: false,
        failure: 'unreachable',
        problem: `service ${service} is not configured (SERVICE_ADMIN_URLS)`,
      };
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const cause = fetchFailure(error);
      return {
        service,
        ok: false,
        failure: 'unreachable',
        problem: `${service} at ${base} did not answer (${cause})`,
      };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      let detail = text.slice(0, 300);
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
      } catch {
        // not problem+json: the raw text says what it says
      }
      return {
        service,
        ok: false,
        failure: 'refused',
        status: response.status,
        problem: `${service} answered ${response.status}: ${detail}`,
      };
    }
    try {
      return { service, ok: true, body: JSON.parse(text) as T };
    } catch {
      return {
        service,
        ok: false,
        failure: 'refused',
        status: response.status,
        problem: `${service} answered with something that is not JSON`,
      };
    }
  }
}

/** Why fetch() got no answer: the socket error's code (ECONNREFUSED, ...), else what it says. */
function fetchFailure(error: unknown): string {
  const { cause, name, message } = error as Error & { cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? message;
}
