/**
 * Troupe tasks against BullMQ (Redis at BENCH_REDIS_URL, default 127.0.0.1:6379), side by side
 * in one run on one machine: submit rate in-process and over HTTP, processing rate of no-op and
 * 1 ms tasks at worker concurrency 8 and 32, submit → start latency, and with BENCH_BACKLOG=<n>
 * a backlog of n tasks (e.g. 1000000) drained while RSS is printed. Run: npm run bench:tasks
 * (settings: docs/benchmarks.md). Every Troupe task is a row in PostgreSQL (fsync on) and an
 * event in the outbox; BullMQ keeps its jobs in Redis with the server's persistence settings.
 */
import { performance } from 'node:perf_hooks';
import { setting } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { distribution, perSecond, sleep } from './support/stats';
import { BullBench, REDIS_URL, bullStarts } from './support/tasks-bench-bullmq';
import { TroupeTasksBench, troupeStarts } from './support/tasks-bench-troupe';

const SUBMITS = setting('SUBMITS', 5000);
const BULK = setting('BULK', 20_000);
const HTTP_SUBMITS = setting('HTTP_SUBMITS', 3000);
const IN_FLIGHT = setting('IN_FLIGHT', 32);
const PROCESS = setting('PROCESS', 20_000);
const LATENCY_RATE = setting('LATENCY_RATE', 200);
const LATENCY_SECONDS = setting('LATENCY_SECONDS', 10);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 0);
/** BENCH_ONLY=process (or submit, latency, backlog) runs one part. */
const ONLY = process.env.BENCH_ONLY;
const part = (name: string) => !ONLY || ONLY === name;

const ratio = (troupe: number, bull: number) => `ratio troupe/bullmq ${(troupe / bull).toFixed(2)}`;

/** p50 in ms of 300 sequential calls. */
export async function probe(call: () => Promise<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  return distribution(times).p50.toFixed(2);
}

/** Runs `count` calls with `inFlight` at a time; returns ops/s. */
async function closedLoop(
  count: number,
  inFlight: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return perSecond(count, performance.now() - t0);
}

/** Rate between 5% and 95% of `total` finished (start-up and tail excluded), polling `finished`. */
async function drainRate(
  total: number,
  finished: () => Promise<number> | number,
  onTick?: (done: number) => void,
): Promise<number> {
  let from: [number, number] | undefined;
  for (;;) {
    const done = await finished();
    const now = performance.now();
    onTick?.(done);
    if (!from && done >= total * 0.05) from = [done, now];
    if (from && done >= total * 0.95) return perSecond(done - from[0], now - from[1]);
    await sleep(20);
  }
}

async function post(url: string, body: object): Promise<void> {
  const response = await fetch(`${url}/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`POST /tasks answered ${response.status}`);
}

async function fillTroupe(troupe: TroupeTasksBench, type: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const outcome = await troupe.tasks.submitMany(
      Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        type,
        payload: { n: i + j },
      })),
    );
    if (outcome.kind !== 'accepted')
      throw new Error(`bulk submit rejected: ${JSON.stringify(outcome)}`);
  }
}

async function fillBull(bull: BullBench, type: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) await bull.addBulk(type, i, Math.min(1000, count - i));
}

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(
    `settings: BENCH_SUBMITS ${SUBMITS}, BENCH_BULK ${BULK}, BENCH_HTTP_SUBMITS ${HTTP_SUBMITS}, BENCH_IN_FLIGHT ${IN_FLIGHT}, BENCH_PROCESS ${PROCESS}, ` +
      `BENCH_LATENCY_RATE ${LATENCY_RATE}/s for ${LATENCY_SECONDS} s, BENCH_BACKLOG ${BACKLOG || 'off'}, BENCH_PREFETCH ${process.env.BENCH_PREFETCH ?? 0}; redis ${REDIS_URL}`,
  );
  const troupe = await TroupeTasksBench.start();
  const bull = new BullBench();
  try {
    const bullUrl = await bull.serveHttp();
    console.log(
      `round trips (p50 of 300): ${await troupe.probeRoundTrips()}; redis PING ${await probe(() => bull.connection.ping())} ms`,
    );

    if (part('submit')) {
      // 1. Submit in-process: one at a time (IN_FLIGHT concurrent callers), then in bulk.
      const tOne = await closedLoop(SUBMITS, IN_FLIGHT, (n) =>
        troupe.tasks.submit({ type: 'noop', payload: { n } }),
      );
      const bOne = await closedLoop(SUBMITS, IN_FLIGHT, (n) => bull.add('noop', n));
      console.log(
        `submit in-process, single (${IN_FLIGHT} in flight): troupe ${tOne}/s, bullmq ${bOne}/s, ${ratio(tOne, bOne)}`,
      );
      let t0 = performance.now();
      await fillTroupe(troupe, 'noop', BULK);
      const tBulk = perSecond(BULK, performance.now() - t0);
      t0 = performance.now();
      await fillBull(bull, 'noop', BULK);
      const bBulk = perSecond(BULK, performance.now() - t0);
      console.log(
        `submit in-process, bulk of 1000 (submitMany / addBulk): troupe ${tBulk}/s, bullmq ${bBulk}/s, ${ratio(tBulk, bBulk)}`,
      );
      await troupe.truncate();
      await bull.reset();

      // 2. Submit over HTTP: POST /tasks with the same validation, IN_FLIGHT keep-alive clients.
      const tHttp = await closedLoop(HTTP_SUBMITS, IN_FLIGHT, (n) =>
        post(troupe.url, { type: 'noop', payload: { n } }),
      );
      const bHttp = await closedLoop(HTTP_SUBMITS, IN_FLIGHT, (n) =>
        post(bullUrl, { type: 'noop', payload: { n } }),
      );
      console.log(
        `submit over HTTP (${IN_FLIGHT} in flight): troupe ${tHttp}/s, bullmq ${bHttp}/s, ${ratio(tHttp, bHttp)}`,
      );
      await troupe.truncate();
      await bull.reset();
    }
    // 3. Processing: a backlog of PROCESS tasks drained by one worker (rate between 5% and 95%).
    if (part('process'))
      for (const type of ['noop', 'sleep1']) {
        for (const concurrency of [8, 32]) {
          await fillTroupe(troupe, type, PROCESS);
          const cpuT = startCpuSample();
          const worker = await troupe.worker(concurrency);
          const tRate = await drainRate(PROCESS, () => troupe.finished(worker));
          const tCpu = cpuT();
          await troupe.stopWorker(worker);
          await troupe.truncate();

          await fillBull(bull, type, PROCESS);
          const cpuB = startCpuSample();
          const { worker: bw, completed } = bull.worker(concurrency);
          const bRate = await drainRate(PROCESS, completed);
          const bCpu = cpuB();
          await bw.close();
          await bull.reset();
          console.log(
            `process ${type.padEnd(6)} concurrency ${String(concurrency).padStart(2)}: troupe ${tRate}/s, bullmq ${bRate}/s, ${ratio(tRate, bRate)}`,
          );
          console.log(`    troupe ${tCpu}\n    bullmq ${bCpu}`);
        }
      }

    if (part('latency')) {
      // 4. Submit → start: open loop at LATENCY_RATE/s into an idle worker (concurrency 32).
      const tLatency = await latency(
        async (n) => {
          const outcome = await troupe.tasks.submit({ type: 'noop', payload: { n } });
          return outcome.kind === 'accepted' ? outcome.task.id : '';
        },
        troupeStarts,
        await troupe.worker(32),
      );
      const bWorker = bull.worker(32);
      await sleep(1000);
      const bLatency = await latency(async (n) => (await bull.add('noop', n)).id!, bullStarts);
      await bWorker.worker.close();
      const show = (d: ReturnType<typeof distribution>) =>
        `p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms (n=${d.n})`;
      console.log(
        `submit → start at ${LATENCY_RATE}/s: troupe ${show(tLatency)}; bullmq ${show(bLatency)}`,
      );
      await troupe.truncate();
      await bull.reset();
    }
    if (BACKLOG > 0 && part('backlog')) await backlog(troupe, bull);
  } finally {
    await bull.close();
    await troupe.close();
  }
}

/** Submits at LATENCY_RATE/s on schedule; latency = handler start − submit resolved (same clock). */
async function latency(
  submit: (n: number) => Promise<string>,
  starts: Map<string, number>,
  _worker?: unknown,
): Promise<ReturnType<typeof distribution>> {
  starts.clear();
  await sleep(2000); // the worker settles (group join) before the clock runs
  const submitted = new Map<string, number>();
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / LATENCY_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(submit(n).then((id) => void submitted.set(id, performance.now())));
  }
  await Promise.all(inFlight);
  const deadline = performance.now() + 60_000;
  while ([...submitted.keys()].some((id) => !starts.has(id)) && performance.now() < deadline)
    await sleep(50);
  return distribution(
    [...submitted].filter(([id]) => starts.has(id)).map(([id, at]) => starts.get(id)! - at),
  );
}

/** BACKLOG tasks submitted in bulk, then drained by one worker (concurrency 32); RSS every 10 s. */
async function backlog(troupe: TroupeTasksBench, bull: BullBench): Promise<void> {
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  for (const system of ['bullmq', 'troupe'] as const) {
    let t0 = performance.now();
    if (system === 'troupe') await fillTroupe(troupe, 'noop', BACKLOG);
    else await fillBull(bull, 'noop', BACKLOG);
    console.log(
      `backlog ${system}: ${BACKLOG} tasks submitted in ${((performance.now() - t0) / 1000).toFixed(0)} s; rss ${mb(process.memoryUsage().rss)}`,
    );
    t0 = performance.now();
    let lastPrint = 0;
    const tick = (done: number) => {
      const now = performance.now();
      if (now - lastPrint < 10_000) return;
      lastPrint = now;
      const { rss, heapUsed } = process.memoryUsage();
      console.log(
        `  ${system} t=${((now - t0) / 1000).toFixed(0).padStart(4)} s  done ${String(done).padStart(8)}  rss ${mb(rss)}  heap ${mb(heapUsed)}`,
      );
    };
    let rate: number;
    if (system === 'troupe') {
      const worker = await troupe.worker(32);
      rate = await drainRate(BACKLOG, () => troupe.finished(worker), tick);
      await new Promise<void>((resolve) => {
        const check = async () =>
          (await troupe.finished(worker)) >= BACKLOG ? resolve() : setTimeout(check, 200);
        void check();
      });
      console.log(
        `backlog troupe: drained at ${rate}/s (5%–95%); tasks table ${Math.round(await troupe.tableSizeMb())} MB; rss ${mb(process.memoryUsage().rss)}`,
      );
      await troupe.stopWorker(worker);
      await troupe.truncate();
    } else {
      const { worker, completed } = bull.worker(32);
      rate = await drainRate(BACKLOG, completed, tick);
      while (completed() < BACKLOG) await sleep(200);
      console.log(
        `backlog bullmq: drained at ${rate}/s (5%–95%); redis used_memory ${Math.round(await bull.usedMemoryMb())} MB; rss ${mb(process.memoryUsage().rss)}`,
      );
      await worker.close();
      await bull.reset();
    }
  }
}

main().then(
  // A client library's stray handle must not keep a finished bench alive.
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
