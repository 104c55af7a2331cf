import { testInfra, uniqueName } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../../scripts/start/platform-apps';
import { PlatformHandle, startPlatform } from '../../scripts/start/platform-processes';
import { rawRequest } from './support/raw-http';

/**
 * Bad input as a new user sends it, to every route of every app (as `npm start` runs them,
 * routes read from each app's own OpenAPI document, so a new route is covered without editing
 * this file): NUL bytes and unpaired surrogates in every string (body, path, query, header),
 * arrays where objects belong, a body over the documented limit, path parameters that are not
 * valid ids. Each answer is a 4xx problem+json whose detail names what is wrong, and nothing is
 * written anywhere (every table of every app keeps its row count).
 */

/** A valid body per route that takes one; the cases below break it one field at a time. */
const VALID_BODIES: Record<string, unknown> = {
  'POST /orders': {
    customerId: 'c-1',
    items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }],
  },
  'POST /checkout': {
    customerId: 'c-1',
    items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }],
  },
  'PUT /stock/{sku}': { available: 1 },
  'POST /orders/{orderId}/cancel': { reason: 'timeout' },
  'POST /tasks': { type: 'report', payload: { title: 'Q3', rows: 10, regions: ['north'] } },
  'POST /troupe/admin/outbox/quarantine/release': { ids: [randomUUID()] },
  'POST /outbox/{service}/release': { ids: [randomUUID()] },
  'POST /troupe/admin/inbox/lookup': { group: 'payments', eventIds: [randomUUID()] },
  'POST /replays': { group: 'payments', topic: 'orders.order.events', from: '2026-01-01T00:00:00Z', key: 'k', dryRun: true },
  'POST /redrives': { group: 'payments', errorCodes: ['payment.declined'], dryRun: true },
  'POST /gaps/replay': { group: 'payments' },
};
/** The admin routes (scheduler's, compensation's, /troupe/admin) are tested past their token check: every request carries it. */
const ADMIN_TOKEN = `bad-input-${randomUUID()}`;
/** A valid value per path parameter, for the parameters a case does not break. */
const VALID_PARAMS: Record<string, string> = {
  orderId: randomUUID(),
  sku: 'SKU-bad-input',
  correlationId: randomUUID(),
  service: 'orders',
};
const BODY_LIMIT_BYTES = 100 * 1024;

interface Route {
  app: string;
  url: string;
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header' }>;
  hasBody: boolean;
}

interface BadRequest {
  name: string;
  send(): Promise<{ status: number; contentType: string; body: string }>;
  /** The status expected (400 unless said), and what the detail must name. */
  status: number;
  names: string;
}

describe('bad HTTP input, on every route of every app', () => {
  let platform: PlatformHandle;
  let routes: Route[];

  beforeAll(async () => {
    platform = await startPlatform({
      logDir: path.join(REPO_ROOT, 'infra', '.data', 'e2e-bad-input'),
      // Broadcast groups are <group>.<instance id>: a name of this run, so clean-up removes them.
      env: { DATABASE_POOL_SIZE: '3', TROUPE_INSTANCE_ID: uniqueName('e2e'), ADMIN_TOKEN },
    });
    routes = [];
    for (const app of platform.apps) {
      const url = platform.urls[app]!;
      const doc = (await (await fetch(`${url}/docs-json`)).json()) as {
        paths: Record<
          string,
          Record<string, { parameters?: Route['parameters']; requestBody?: unknown }>
        >;
      };
      for (const [route, operations] of Object.entries(doc.paths))
        for (const [method, operation] of Object.entries(operations))
          routes.push({
            app,
            url,
            method: method.toUpperCase(),
            path: route,
            parameters: operation.parameters ?? [],
            hasBody: operation.requestBody !== undefined,
          });
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers every kind of bad input on every route with a 4xx problem naming it, and writes nothing', async () => {
    const cases = routes.flatMap(badRequestsFor);
    // Every app has routes with input (at least TroupeModule's /troupe/admin ones); a document
    // that lost them would make this test vacuous.
    expect([...new Set(cases.map((c) => c.name.split(' ')[0]))].sort()).toEqual(
      [...platform.apps].sort(),
    );
    process.stderr.write(
      `[e2e] ${cases.length} bad requests over ${routes.length} routes of ${platform.apps.length} apps\n`,
    );
    const before = await rowCounts();
    const failures: string[] = [];
    for (const c of cases) {
      const answer = await c.send().catch((error: Error) => ({
        status: 0,
        contentType: '',
        body: `no answer: ${error.message}`,
      }));
      let problem: { status?: number; detail?: string } = {};
      try {
        problem = JSON.parse(answer.body);
      } catch {
        // reported below
      }
      const wrong = [
        answer.status !== c.status && `status ${answer.status}, expected ${c.status}`,
        !answer.contentType.startsWith('application/problem+json') &&
          `content-type ${answer.contentType}`,
        problem.status !== answer.status && 'no problem body with its status',
        !(problem.detail ?? '').includes(c.names) && `detail does not name ${c.names}`,
      ].filter(Boolean);
      if (wrong.length > 0)
        failures.push(`${c.name}: ${wrong.join('; ')} — ${answer.body.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(40);
    expect(await rowCounts()).toEqual(before);
  });
});

function badRequestsFor(route: Route): BadRequest[] {
  const key = `${route.method} ${route.path}`;
  const name = (what: string) => `${route.app} ${key} with ${what}`;
  const urlWith = (params: Record<string, string>, query = '') =>
    `${route.url}${route.path.replace(/\{(\w+)\}/g, (_, p: string) => params[p] ?? encodeURIComponent(VALID_PARAMS[p]))}${query}`;
  const body = VALID_BODIES[key];
  if (route.hasBody && body === undefined)
    throw new Error(
      `${key} takes a body: add a valid one to VALID_BODIES so its bad variants are tested`,
    );
  const send =
    (url: string, payload?: string, contentType = 'application/json') =>
    async () => {
      const response = await fetch(url, {
        method: route.method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(payload === undefined ? {} : { 'content-type': contentType }),
        },
        body: payload,
        // An event stream that opened (its query was accepted) would never end.
        signal: AbortSignal.timeout(5_000),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body: await response.text(),
      };
    };
  const cases: BadRequest[] = [];
  const validBody = body === undefined ? undefined : JSON.stringify(body);

  for (const p of route.parameters.filter((p) => p.in === 'path')) {
    const bad = (what: string, raw: string, names = p.name) =>
      cases.push({
        name: name(`${what} in path parameter ${p.name}`),
        send: send(urlWith({ [p.name]: raw }), validBody),
        status: 400,
        names,
      });
    bad('a NUL byte', 'x%00y');
    bad('an unpaired surrogate (%ED%A0%80)', '%ED%A0%80', '%ED%A0%80');
    bad('a value that is not a valid id', 'not%20a%20valid%20id!');
  }
  for (const p of route.parameters.filter((p) => p.in === 'query')) {
    const bad = (what: string, raw: string) =>
      cases.push({
        name: name(`${what} in query parameter ${p.name}`),
        send: send(urlWith({}, `?${p.name}=${raw}`)),
        status: 400,
        names: p.name,
      });
    bad('a NUL byte', 'x%00y');
    bad('an unpaired surrogate', '%ED%A0%80');
    bad('a value that is not valid', 'not%20a%20valid%20id!');
  }
  for (const p of route.parameters.filter((p) => p.in === 'header')) {
    const { pathname, host } = new URL(urlWith({}));
    cases.push({
      name: name(`a NUL byte in header ${p.name}`),
      send: async () => {
        const head = `${route.method} ${pathname} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n${p.name}: a\u0000b\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(validBody ?? '')}\r\n\r\n${validBody ?? ''}`;
        const answer = await rawRequest(urlWith({}), head);
        return {
          status: answer.status,
          contentType: answer.headers['content-type'] ?? '',
          body: answer.body,
        };
      },
      status: 400,
      names: 'header',
    });
  }
  if (body !== undefined) {
    const url = urlWith({});
    for (const leaf of stringLeaves(body)) {
      cases.push({
        name: name(`a NUL byte in ${leaf}`),
        send: send(url, JSON.stringify(replaced(body, leaf, 'a\u0000b'))),
        status: 400,
        names: leaf,
      });
      // JSON.stringify writes a lone surrogate as the escape \ud800: valid JSON, not valid Unicode.
      cases.push({
        name: name(`an unpaired surrogate in ${leaf}`),
        send: send(url, JSON.stringify(replaced(body, leaf, 'a\ud800b'))),
        status: 400,
        names: leaf,
      });
    }
    for (const leaf of objectArrays(body))
      cases.push({
        name: name(`an array nested where ${leaf}.0 is an object`),
        send: send(url, JSON.stringify(nestArray(body, leaf))),
        status: 400,
        names: `${leaf}.0`,
      });
    cases.push({
      name: name('an array as the body'),
      send: send(url, JSON.stringify([body])),
      status: 400,
      names: '(body)',
    });
    cases.push({
      name: name('a 2 MB body'),
      send: send(url, JSON.stringify({ ...(body as object), pad: 'x'.repeat(2_000_000) })),
      status: 413,
      names: String(BODY_LIMIT_BYTES),
    });
    cases.push({
      name: name('a body that is not JSON'),
      send: send(url, '{"customerId": '),
      status: 400,
      names: 'JSON',
    });
  }
  return cases;
}

/** Dotted paths of the string values in `value` (`items.0.sku`). */
function stringLeaves(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Dotted paths of the arrays of objects in `value`. */
function objectArrays(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const own = Array.isArray(value) && typeof value[0] === 'object' && prefix ? [prefix] : [];
  return [
    ...own,
    ...Object.entries(value).flatMap(([k, v]) => objectArrays(v, prefix ? `${prefix}.${k}` : k)),
  ];
}

function replaced(value: unknown, leaf: string, text: string): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = leaf.split('.');
  const parent = keys
    .slice(0, -1)
    .reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
  parent[keys.at(-1)!] = text;
  return copy;
}

function nestArray(value: unknown, leaf: string): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const array = leaf
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], copy) as unknown[];
  array[0] = [array[0]];
  return copy;
}

/** Rows in every table of every app's schema. */
async function rowCounts(): Promise<Record<string, number>> {
  const client = new Client({ connectionString: testInfra.databaseUrl() });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
        WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1`,
      [['orders', 'payments', 'inventory', 'shipping', 'notifications']],
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables)
      counts[name] = (await client.query(`SELECT count(*)::int AS n FROM ${name}`)).rows[0].n;
    return counts;
  } finally {
    await client.end();
  }
}
