import { RegistryRequestError } from './registry-request.error';

/** A schema version as the registry stores it. */
export interface RegisteredSchema {
  readonly id: number;
  readonly version: number;
  /** The schema text exactly as registered. */
  readonly schema: string;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const TIMEOUT_MS = 10_000;

/**
 * The few Confluent Schema Registry REST calls the schema tools need, over fetch. Works with
 * Confluent and with Apicurio's ccompat API (differences noted per method). Base URL without
 * a trailing slash, e.g. http://127.0.0.1:8081/apis/ccompat/v7.
 */
export class RegistryClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The latest version under the subject; undefined when the subject has none (404). */
  async latest(subject: string): Promise<RegisteredSchema | undefined> {
    const body = await this.request(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
      undefined,
      [404],
    );
    return body as RegisteredSchema | undefined;
  }

  /**
   * Whether `schema` may follow the latest version under the subject's compatibility level.
   * Apicurio 3.0.9 answers `{"is_compatible": true}` for a subject that does not exist (Confluent
   * answers 404), and never includes reasons even with `verbose=true`; `messages` is whatever
   * the registry supplied.
   */
  async testCompatibility(
    subject: string,
    schema: string,
  ): Promise<{ compatible: boolean; messages: string[] }> {
    const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`;
    const body = (await this.request('POST', path, { schema })) as {
      is_compatible?: unknown;
      messages?: unknown;
    };
    if (typeof body.is_compatible !== 'boolean')
      throw new RegistryRequestError(
        `POST ${path}`,
        200,
        `unexpected answer ${JSON.stringify(body)}`,
      );
    const messages = Array.isArray(body.messages) ? body.messages.map(String) : [];
    return { compatible: body.is_compatible, messages };
  }

  /**
   * The compatibility level in force for the subject: its own, else the global one. Apicurio's
   * GET /config/{subject} answers NONE for a subject without its own level even though the
   * global level applies, so `defaultToGlobal=true` is always asked for.
   */
  async compatibilityLevel(subject: string): Promise<string> {
    const own = (await this.request(
      'GET',
      `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`,
      undefined,
      [404],
    )) as { compatibilityLevel?: string } | undefined;
    if (own?.compatibilityLevel) return own.compatibilityLevel;
    const global = (await this.request('GET', '/config')) as {
      compatibilityLevel?: string;
      compatibility?: string;
    };
    return global.compatibilityLevel ?? global.compatibility ?? 'UNKNOWN';
  }

  /** Registers the schema text under the subject (idempotent for identical text); its global id. */
  async register(subject: string, schema: string): Promise<number> {
    const body = (await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
      schema,
    })) as { id: number };
    return body.id;
  }

  /** The parsed JSON answer; undefined for a status in `absent`; throws for any other non-2xx. */
  private async request(
    method: string,
    path: string,
    payload?: object,
    absent: number[] = [],
  ): Promise<unknown> {
    const name = `${method} ${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: CONTENT_TYPE, ...(payload ? { 'content-type': CONTENT_TYPE } : {}) },
        body: payload ? JSON.stringify(payload) : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new RegistryRequestError(name, undefined, (error as Error).message);
    }
    if (absent.includes(response.status)) return undefined;
    const text = await response.text();
    if (!response.ok) throw new RegistryRequestError(name, response.status, registryMessage(text));
    return text === '' ? {} : JSON.parse(text);
  }
}

function registryMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: string };
    return body.message ?? text;
  } catch {
    return text;
  }
}
