/**
 * The writer's common case (issue 9): one event per transaction, from C concurrent clients
 * (`dataSource.transaction(tx => writer.add(tx, event))`, no relay running), against
 * PostgreSQL's own small-write ceiling on the same machine in the same run: pgbench's built-in
 * simple-update (BEGIN; UPDATE; SELECT; INSERT; END) with the same number of clients. Rounds
 * alternate the two, and the ratio is taken per round.
 *
 * Also printed: the statements of one writer transaction, and how many wake-up notifications the
 * writers sent (CommitWake: one after a commit, coalesced while one is in flight).
 * Run: npm run bench:writer   (BENCH_CLIENTS [10], BENCH_SECONDS [8], BENCH_ROUNDS [2]; needs
 * pgbench, from PostgreSQL's client package)
 */
import { TroupeRuntime } from '@troupe/messaging';
import { CommitWake } from '@troupe/outbox';
import { createTestDataSource, testInfra, uniqueName } from '@troupe/testing';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { benchItem, defineBenchEvent } from './support/bench-event';
import { deleteTopics, infra, quietLog } from './support/bench-infra';
import { setting } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { QueryTimer } from './support/query.timer';
import { percentile } from './support/stats';

const clients = setting('CLIENTS', 10);
const seconds = setting('SECONDS', 8);
const rounds = setting('ROUNDS', 2);
const PGBENCH_DB = 'troupe_bench_pgbench';

function pgbench(args: string[]): string {
  try {
    return execFileSync('pgbench', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('pgbench is not installed (apt-get install postgresql-client)');
    throw new Error(`pgbench ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testInfra.adminDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function pgbenchUrl(): string {
  const url = new URL(testInfra.adminDatabaseUrl());
  url.pathname = `/${PGBENCH_DB}`;
  return url.toString();
}

/** pgbench simple-update with `clients` clients for `seconds`: transactions per second. */
function runPgbench(): number {
  const out = pgbench(['-b', 'simple-update', '-c', String(clients), '-j', '2', '-T', String(seconds), '-n', pgbenchUrl()]);
  const tps = /tps = ([0-9.]+)/.exec(out);
  if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(tps[1]);
}

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(`settings: ${clients} clients, ${seconds} s per measurement, ${rounds} round(s); one event per writer transaction, no relay`);

  await withAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB}`);
    await admin.query(`CREATE DATABASE ${PGBENCH_DB}`);
  });
  pgbench(['-i', '-s', '1', '-q', pgbenchUrl()]);

  const run = uniqueName('bench_writer').replace(/-/g, '_');
  const topic = `${run}.item.events`;
  const Item = defineBenchEvent(topic);
  const db = await createTestDataSource({ schema: `${run}_w`, poolSize: clients });
  const runtime = new TroupeRuntime(
    { service: 'bench-writer', kafka: { brokers: infra.brokers }, schemaRegistry: { url: infra.registryUrl }, publishes: [Item], relay: false, log: quietLog },
    db,
  );
  const ratios: number[] = [];
  try {
    await runtime.start();
    let n = 0;
    const write = () => db.transaction((tx) => runtime.writer.add(tx, Item.of(benchItem(n++))));
    const statements = QueryTimer.install(db);
    await write();
    console.log(`statements of one writer transaction:\n${statements.report()}`);
    db.subscribers.splice(db.subscribers.indexOf(statements), 1);
    for (let i = 0; i < 500; i++) await write(); // warm-up: connections, JIT

    for (let round = 1; round <= rounds; round++) {
      const pg = runPgbench();
      const wake = CommitWake.of(db);
      const notificationsBefore = wake.notifications;
      const latencies: number[] = [];
      const cpu = startCpuSample();
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < end) {
            const started = performance.now();
            await write();
            latencies.push(performance.now() - started);
          }
        }),
      );
      const cpuUse = cpu();
      const rate = latencies.length / seconds;
      latencies.sort((a, b) => a - b);
      const notifications = wake.notifications - notificationsBefore;
      ratios.push(rate / pg);
      console.log(`round ${round} pgbench simple-update        ${pg.toFixed(0).padStart(6)} tx/s`);
      console.log(
        `round ${round} troupe writer, 1 event/tx    ${rate.toFixed(0).padStart(6)} tx/s  p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
          `${notifications} wake-up notifications for ${latencies.length} commits`,
      );
      console.log(`        ${cpuUse}`);
      console.log(`round ${round} ratio writer / pgbench: ${(rate / pg).toFixed(2)}`);
    }
  } finally {
    await runtime.stop();
    await db.drop();
    await deleteTopics([topic]);
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB}`));
  }
  const best = Math.max(...ratios);
  console.log(`\nratio writer / pgbench simple-update: ${ratios.map((r) => r.toFixed(2)).join(', ')} (target ≥ 0.5: ${best >= 0.5 ? 'met' : 'missed'})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
