import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';

/** A 'once' group as its service describes it (GET /troupe/admin/inbox/groups). */
export interface GroupInfo {
  group: string;
  /** Physical topics its handlers read. */
  topics: string[];
  replayTopic: string;
  deadLetterTopic: string;
  handlers: Array<{ eventType: string; reapplicable: boolean }>;
}

/** The largest look-up a service answers (POST /troupe/admin/inbox/lookup). */
export const LOOKUP_MAX_IDS = 1000;

/**
 * The admin routes TroupeModule adds to every service, as the compensation app calls them: the
 * one way it learns about a group's inbox (it never reads another service's tables). A service
 * that cannot be reached, or answers 5xx, is a 503 of the compensation app naming it; a group
 * the configuration or the service does not know is a 404.
 */
export class ServiceAdminClient {
  constructor(
    private readonly urls: ReadonlyMap<string, string>,
    private readonly token: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  knownGroups(): string[] {
    return [...this.urls.keys()];
  }

  async group(group: string): Promise<GroupInfo> {
    const body = await this.call<{ service: string; groups: GroupInfo[] }>(group, 'GET', '/troupe/admin/inbox/groups');
    const info = body.groups.find((g) => g.group === group);
    if (!info)
      throw new NotFoundException(
        `the service at ${this.urls.get(group)} (${body.service}) has no 'once' group ${group} (its groups: ${body.groups.map((g) => g.group).join(', ') || 'none'})`,
      );
    return info;
  }

  /** The ids among `eventIds` that `group`'s inbox holds (applied), in look-ups of at most LOOKUP_MAX_IDS. */
  async applied(group: string, eventIds: readonly string[]): Promise<Set<string>> {
    const present = new Set<string>();
    for (let i = 0; i < eventIds.length; i += LOOKUP_MAX_IDS) {
      const body = await this.call<{ present: string[] }>(group, 'POST', '/troupe/admin/inbox/lookup', {
        group,
        eventIds: eventIds.slice(i, i + LOOKUP_MAX_IDS),
      });
      for (const id of body.present) present.add(id);
    }
    return present;
  }

  private async call<T>(group: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const base = this.urls.get(group);
    if (!base)
      throw new NotFoundException(
        `unknown group ${group}: GROUP_ADMIN_URLS of the compensation app names ${this.knownGroups().join(', ') || 'no group'}`,
      );
    const url = new URL(path, base);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ServiceUnavailableException(`cannot reach the service of group ${group} at ${base}: ${cause}; nothing was changed`);
    }
    const text = await response.text();
    if (response.status === 404) {
      const detail = safeJson<{ detail?: string }>(text)?.detail;
      throw new NotFoundException(detail ?? `the service of group ${group} at ${base} has no ${path} (is it a Troupe service?)`);
    }
    if (response.status === 401 || response.status === 403)
      throw new ServiceUnavailableException(`the service of group ${group} at ${base} refused the compensation app's token (${response.status}): check SERVICE_ADMIN_TOKEN`);
    if (response.status >= 300 || safeJson(text) === undefined)
      throw new ServiceUnavailableException(`the service of group ${group} at ${base} answered ${method} ${path} with ${response.status}`);
    return safeJson<T>(text)!;
  }
}

function safeJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
