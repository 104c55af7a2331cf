/**
 * The reference system as it runs (issue 9): the six apps as processes (what `npm start` runs),
 * driven through POST /orders of the orders app. Three phases:
 *
 * 1. idle: after a warm-up has settled, nothing happens for BENCH_IDLE_SECONDS; CPU of each app;
 * 2. rate: BENCH_RATE orders/s for BENCH_SECONDS (open loop), then until every one of them is
 *    settled (CONFIRMED or CANCELLED in the orders table): placement answer times, settled
 *    orders/s (first POST to last order settled), CPU of each process;
 * 3. clients: BENCH_ORDERS orders from BENCH_CLIENTS clients at once (closed loop, no retries):
 *    answer times and statuses.
 *
 * Run: npm run bench:system   (BENCH_RATE [40], BENCH_SECONDS [20], BENCH_IDLE_SECONDS [20],
 * BENCH_CLIENTS [100], BENCH_ORDERS [500], BENCH_POOL_SIZE [the apps' default])
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadSettings } from '../infra/src/settings';
import { REPO_ROOT } from '../scripts/start/platform-apps';
import { PlatformHandle, startPlatform } from '../scripts/start/platform-processes';
import { setting } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { runOpenLoop } from './support/open-loop';
import { cpuSeconds, infraDatabaseUrl } from './support/platform-cpu';
import { distribution, formatDistribution, sleep } from './support/stats';

const rate = setting('RATE', 40);
const seconds = setting('SECONDS', 20);
const idleSeconds = setting('IDLE_SECONDS', 20);
const clients = setting('CLIENTS', 100);
const orders = setting('ORDERS', 500);

interface Placed {
  id?: string;
  status: string;
  ms: number;
}

async function placeOrder(ordersUrl: string, sku: string, customer: string): Promise<Placed> {
  const started = performance.now();
  try {
    const response = await fetch(`${ordersUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: customer, items: [{ sku, quantity: 1, unitPriceCents: 700 }] }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { orderId?: string };
    return { id: body.orderId, status: String(response.status), ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: `${(error as Error).name} (${cause?.code ?? (error as Error).message})`, ms: performance.now() - started };
  }
}

/** CPU over a phase: each app in % of one core, then PostgreSQL, Kafka and the machine in cores (per process, as the other benches). */
function cpuOver(platform: PlatformHandle): () => string {
  const before = cpuSeconds(platform);
  const others = startCpuSample();
  const startedAt = performance.now();
  return () => {
    const wall = (performance.now() - startedAt) / 1000;
    const apps = [...cpuSeconds(platform)]
      .filter(([who]) => platform.apps.includes(who as never))
      .map(([who, s]) => `${who} ${((100 * (s - (before.get(who) ?? 0))) / wall).toFixed(1)}%`)
      .join(', ');
    return `${apps}\n          ${others().replace(/bench [0-9.]+, /, '').replace(/; bench event loop.*$/, '')}`;
  };
}

const statusCounts = (results: readonly Placed[]) => {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s}: ${n}`).join(', ');
};

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(`settings: idle ${idleSeconds} s; ${rate} orders/s for ${seconds} s; ${orders} orders from ${clients} clients at once`);
  const infra = loadSettings();
  const poolSize = process.env.BENCH_POOL_SIZE;
  const platform = await startPlatform({
    infra,
    logDir: path.join(REPO_ROOT, 'infra', '.data', 'bench-apps'),
    env: poolSize ? { DATABASE_POOL_SIZE: poolSize } : {},
    appEnv: { payments: { PAYMENT_FAILURE_RATE: '0' } },
  });
  const db = new Client({ connectionString: infraDatabaseUrl(infra) });
  await db.connect();
  const ordersUrl = platform.urls.orders!;
  const run = randomUUID().slice(0, 8);
  const sku = `bench-${run}`;
  const unsettled = async (ids: readonly string[]) =>
    (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders.orders WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`, [ids])
    ).rows[0].n;
  const settle = async (ids: readonly string[], what: string) => {
    if (ids.length === 0) throw new Error(`${what}: no order was placed`);
    const deadline = Date.now() + 300_000;
    while ((await unsettled(ids)) > 0) {
      if (Date.now() > deadline) throw new Error(`${what}: orders still pending after 300 s`);
      await sleep(50);
    }
    return performance.now();
  };
  try {
    await fetch(`${platform.urls.inventory}/stock/${sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ available: 10_000_000 }),
    });
    const warm = await Promise.all(Array.from({ length: 50 }, (_, i) => placeOrder(ordersUrl, sku, `bench-${run}-warm-${i % 10}`)));
    await settle(warm.flatMap((r) => (r.id ? [r.id] : [])), 'warm-up');
    await sleep(5000); // retries, lag exporters and relays back to their idle rhythm

    const idle = cpuOver(platform);
    await sleep(idleSeconds * 1000);
    console.log(`idle      ${idleSeconds} s, CPU, % of one core: ${idle()}`);

    const placed: Placed[] = [];
    const loadCpu = cpuOver(platform);
    const firstAt = performance.now();
    const open = await runOpenLoop(rate, seconds * 1000, async (i) => {
      placed.push(await placeOrder(ordersUrl, sku, `bench-${run}-${i % 100}`));
    });
    const ids = placed.flatMap((r) => (r.id ? [r.id] : []));
    const settledAt = await settle(ids, 'rate phase');
    const wall = (settledAt - firstAt) / 1000;
    console.log(
      `rate      ${open.started} orders at ${rate}/s in ${(open.elapsedMs / 1000).toFixed(1)} s (at most ${open.maxInFlight} in flight); answers ${statusCounts(placed)}`,
    );
    console.log(`rate      POST /orders, client-side  ${formatDistribution(placed.map((r) => r.ms))}`);
    console.log(
      `rate      settled ${ids.length} orders in ${wall.toFixed(1)} s from the first POST = ${(ids.length / wall).toFixed(1)} orders/s (last settled ${((settledAt - firstAt) / 1000 - open.elapsedMs / 1000).toFixed(1)} s after the last POST)`,
    );
    console.log(`rate      CPU, % of one core: ${loadCpu()}`);

    await settle(ids, 'between phases');
    const crowd: Placed[] = [];
    let next = 0;
    const crowdCpu = cpuOver(platform);
    const crowdStarted = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < orders) {
          const i = next++;
          crowd.push(await placeOrder(ordersUrl, sku, `bench-${run}-c${i % 100}`));
        }
      }),
    );
    const crowdMs = performance.now() - crowdStarted;
    const crowdIds = crowd.flatMap((r) => (r.id ? [r.id] : []));
    const crowdSettledAt = await settle(crowdIds, 'clients phase');
    console.log(`clients   ${orders} orders from ${clients} clients in ${(crowdMs / 1000).toFixed(1)} s = ${((orders / crowdMs) * 1000).toFixed(0)} placed/s; answers ${statusCounts(crowd)}`);
    console.log(`clients   POST /orders, client-side  ${formatDistribution(crowd.map((r) => r.ms))}`);
    console.log(
      `clients   settled ${crowdIds.length} in ${((crowdSettledAt - crowdStarted) / 1000).toFixed(1)} s = ${(crowdIds.length / ((crowdSettledAt - crowdStarted) / 1000)).toFixed(1)} orders/s`,
    );
    console.log(`clients   CPU, % of one core: ${crowdCpu()}`);
    const p99 = distribution(crowd.map((r) => r.ms)).p99;
    console.log(`\nPOST /orders p99 at ${clients} clients: ${p99.toFixed(0)} ms (target ≤ 100 ms: ${p99 <= 100 ? 'met' : 'missed'})`);
  } finally {
    await db.end();
    await platform.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
