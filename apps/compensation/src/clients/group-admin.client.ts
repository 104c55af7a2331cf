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

/** How long the groups learnt from the services are used before they are asked again. */
const DISCOVERY_TTL_MS = 30_000;

/**
 * The admin routes TroupeModule adds to every service, as the compensation app calls them for a
 * group: the one way it learns about a group's inbox (it never reads another service's tables).
 * The groups are those the services of SERVICE_ADMIN_URLS declare (GET /troupe/admin/inbox/groups,
 * asked again after DISCOVERY_TTL_MS, or at once for a group not seen yet), plus GROUP_ADMIN_URLS'
 * pairs, which win. A service that cannot be reached, or answers 5xx, is a 503 of the compensation
 * app naming it; a group no service declares is a 404.
 */
export class GroupAdminClient {
  private discovered?: { at: number; groups: Map<string, string> };

  constructor(
    private readonly services: ReadonlyMap<string, string>,
    private readonly explicit: ReadonlyMap<string, string>,
    private readonly token: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Every group the compensation app can act for (services that do not answer now add none). */
  async knownGroups(): Promise<string[]> {
    return [...(await this.urls()).keys()];
  }

  async group(group: string): Promise<GroupInfo> {
    const body = await this.call<{ service: string; groups: GroupInfo[] }>(
      group,
      'GET',
      '/troupe/admin/inbox/groups',
    );
    const info = body.groups.find((g) => g.group === group);
    if (!info)
      throw new NotFoundException(
        `the service at ${(await this.urls()).get(group)} (${body.service}) has no 'once' group ${group} (its groups: ${body.groups.map((g) => g.group).join(', ') || 'none'})`,
      );
    return info;
  }

  /** The ids among `eventIds` that `group`'s inbox holds (applied), in look-ups of at most LOOKUP_MAX_IDS. */
  async applied(group: string, eventIds: readonly string[]): Promise<Set<string>> {
    const present = new Set<string>();
    for (let i = 0; i < eventIds.length; i += LOOKUP_MAX_IDS) {
      const body = await this.call<{ present: string[] }>(
        group,
        'POST',
        '/troupe/admin/inbox/lookup',
        {
          group,
          eventIds: eventIds.slice(i, i + LOOKUP_MAX_IDS),
        },
      );
      for (const id of body.present) present.add(id);
    }
    return present;
  }

  private async urls(refresh = false): Promise<Map<string, string>> {
    if (refresh || !this.discovered || Date.now() - this.discovered.at > DISCOVERY_TTL_MS) {
      const groups = new Map<string, string>();
      for (const base of this.services.values()) {
        const body = await this.fetchJson<{ groups: GroupInfo[] }>(
          base,
          'GET',
          '/troupe/admin/inbox/groups',
          undefined,
          'a service',
        ).catch(() => undefined);
        for (const g of body?.groups ?? []) if (!groups.has(g.group)) groups.set(g.group, base);
      }
      this.discovered = { at: Date.now(), groups };
    }
    return new Map([...this.discovered.groups, ...this.explicit]);
  }

  private async call<T>(
    group: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const base = (await this.urls()).get(group) ?? (await this.urls(true)).get(group);
    if (!base)
      throw new NotFoundException(
        `unknown group ${group}: the services of SERVICE_ADMIN_URLS (and GROUP_ADMIN_URLS) declare ${(await this.knownGroups()).join(', ') || 'no group'}`,
      );
    return this.fetchJson<T>(base, method, path, body, `the service of group ${group}`);
  }

  private async fetchJson<T>(
    base: string,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    who: string,
  ): Promise<T> {
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
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ServiceUnavailableException(
        `cannot reach ${who} at ${base}: ${cause}; nothing was changed`,
      );
    }
    const text = await response.text();
    if (response.status === 404) {
      const detail = safeJson<{ detail?: string }>(text)?.detail;
      throw new NotFoundException(
        detail ?? `${who} at ${base} has no ${path} (is it a Troupe service?)`,
      );
    }
    if (response.status === 401 || response.status === 403)
      throw new ServiceUnavailableException(
        `${who} at ${base} refused the compensation app's token (${response.status}): check SERVICE_ADMIN_TOKEN`,
      );
    if (response.status >= 300 || safeJson(text) === undefined)
      throw new ServiceUnavailableException(
        `${who} at ${base} answered ${method} ${path} with ${response.status}`,
      );
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
