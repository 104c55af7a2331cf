/**
 * Order placement under a burst: the reference system's six apps as processes (as the e2e suite
 * runs them, pool of BENCH_POOL_SIZE per service), BENCH_ORDERS orders through POST /checkout
 * with BENCH_CONCURRENCY clients at once, no retries. Prints the answer time of every request
 * (client-side), the statuses, where the orders service's connections were (pg_stat_activity of
 * its role, sampled every 20 ms) and the event-loop delay of orders and checkout (prom-client's
 * default metrics, scraped every second).
 * Run: npx ts-node -r tsconfig-paths/register --transpile-only bench/order-placement.bench.ts
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadSettings } from '../infra/src/settings';
import { REPO_ROOT } from '../scripts/start/platform-apps';
import { startPlatform } from '../scripts/start/platform-processes';
import { setting } from './support/bench-settings';
import { describeMachine } from './support/machine';
import { cpuSeconds, infraDatabaseUrl } from './support/platform-cpu';
import { formatDistribution, sleep } from './support/stats';

const orders = setting('ORDERS', 500);
const concurrency = setting('CONCURRENCY', 100);
const poolSize = setting('POOL_SIZE', 5);
const timeoutMs = setting('UPSTREAM_TIMEOUT_MS', 3000);

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(
    `settings: ${orders} orders, ${concurrency} clients at once, DATABASE_POOL_SIZE ${poolSize}, UPSTREAM_TIMEOUT_MS ${timeoutMs}`,
  );
  const infra = loadSettings();
  const platform = await startPlatform({
    infra,
    logDir: path.join(REPO_ROOT, 'infra', '.data', 'bench-apps'),
    env: { DATABASE_POOL_SIZE: String(poolSize), UPSTREAM_TIMEOUT_MS: String(timeoutMs) },
    appEnv: { payments: { PAYMENT_FAILURE_RATE: '0' } },
  });
  const admin = new Client({ connectionString: infraDatabaseUrl(infra) });
  await admin.connect();
  try {
    const run = randomUUID().slice(0, 8);
    const sku = `bench-${run}`;
    await fetch(`${platform.urls.inventory}/stock/${sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ available: 1_000_000 }),
    });
    // Warm-up: connections, JIT, schema ids.
    await burst(platform.urls.checkout!, sku, `${run}-warm`, 50, 10);

    const sampling = { on: true };
    const states = sampleConnections(admin, infra.appDatabase, sampling);
    const loops = sampleEventLoops(
      { orders: platform.urls.orders!, checkout: platform.urls.checkout! },
      sampling,
    );
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const cpuBefore = cpuSeconds(platform);
    const t0 = performance.now();
    const results = await burst(platform.urls.checkout!, sku, run, orders, concurrency);
    const elapsed = performance.now() - t0;
    sampling.on = false;
    const cpuAfter = cpuSeconds(platform);
    loopDelay.disable();

    const byStatus = new Map<string, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    console.log(
      `placed    ${orders} in ${(elapsed / 1000).toFixed(1)} s = ${Math.round((orders / elapsed) * 1000)} orders/s`,
    );
    console.log(
      `answers   ${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')}  (over ${timeoutMs} ms: ${results.filter((r) => r.ms > timeoutMs).length})`,
    );
    console.log(
      `latency   POST /checkout, client-side   ${formatDistribution(results.map((r) => r.ms))}`,
    );
    console.log(
      `cpu       seconds during the burst: ${[...cpuAfter]
        .map(([who, sec]) => `${who} ${(sec - (cpuBefore.get(who) ?? 0)).toFixed(1)}`)
        .join(', ')} (wall ${(elapsed / 1000).toFixed(1)} s)`,
    );
    console.log(
      `orders connections (pg_stat_activity, role orders, every 20 ms):\n${await states}`,
    );
    console.log(`event-loop delay (nodejs_eventloop_lag_*, per 1 s scrape):\n${await loops}`);
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    console.log(
      `    this bench (the clients) p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`,
    );
  } finally {
    await admin.end();
    await platform.stop();
  }
}

async function burst(
  checkout: string,
  sku: string,
  tag: string,
  count: number,
  clients: number,
): Promise<Array<{ status: string; ms: number }>> {
  const results: Array<{ status: string; ms: number }> = [];
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      let status: string;
      try {
        const response = await fetch(`${checkout}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            customerId: `bench-${tag}-${i % 50}`,
            items: [{ sku, quantity: 1, unitPriceCents: 700 }],
          }),
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        status = String(response.status);
      } catch (error) {
        // fetch says "fetch failed" and keeps the reason (a reset, a closed socket) in the cause.
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        status = `${(error as Error).name} (${cause?.code ?? cause?.message ?? (error as Error).message})`;
      }
      results.push({ status, ms: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return results;
}

/** Share of samples per state of the orders role's backends (idle in transaction: waiting for Node). */
async function sampleConnections(
  admin: Client,
  database: string,
  sampling: { on: boolean },
): Promise<string> {
  const seen = new Map<string, number>();
  let samples = 0;
  while (sampling.on) {
    const { rows } = await admin.query<{ what: string; n: number }>(
      `SELECT concat_ws(' / ', state, wait_event_type, wait_event) AS what, count(*)::int AS n
         FROM pg_stat_activity WHERE usename = 'orders' AND datname = $1 GROUP BY 1`,
      [database],
    );
    samples++;
    for (const { what, n } of rows) seen.set(what, (seen.get(what) ?? 0) + n);
    await sleep(20);
  }
  return [...seen]
    .sort((a, b) => b[1] - a[1])
    .map(
      ([what, n]) => `    ${(n / samples).toFixed(2).padStart(6)} connections on average  ${what}`,
    )
    .join('\n');
}

async function sampleEventLoops(
  urls: Record<string, string>,
  sampling: { on: boolean },
): Promise<string> {
  const worst = new Map<string, { p99: number; max: number }>();
  while (sampling.on) {
    await Promise.all(
      Object.entries(urls).map(async ([app, url]) => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const read = (name: string) =>
          Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
        const w = worst.get(app) ?? { p99: 0, max: 0 };
        worst.set(app, {
          p99: Math.max(w.p99, read('nodejs_eventloop_lag_p99_seconds')),
          max: Math.max(w.max, read('nodejs_eventloop_lag_max_seconds')),
        });
      }),
    );
    await sleep(1000);
  }
  return [...worst]
    .map(
      ([app, w]) =>
        `    ${app.padEnd(9)} worst p99 ${w.p99.toFixed(0)} ms, worst max ${w.max.toFixed(0)} ms`,
    )
    .join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
