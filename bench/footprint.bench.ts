/**
 * Per app, from the production build (`npm run build`): time from process start to the first
 * 200 of /health/ready, and resident memory once idle. Each app runs alone against the local
 * infrastructure (`npm run infra:up`), BENCH_RUNS times [3]; the baseline is the same app from
 * source through ts-node (how `npm start` runs it), measured in the same run, so the ratios
 * say what the build changes. Targets: ≤ 3 s to ready, ≤ 120 MB idle RSS.
 *
 *   npm run build && npm run bench:footprint
 *
 * Settings: BENCH_RUNS [3], BENCH_IDLE_SECONDS [10] (wait after ready before reading RSS),
 * BENCH_APPS [all], BENCH_PORT [3390].
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { serviceDatabaseUrl } from '../infra/src/service-databases';
import { kafkaBootstrap, loadSettings, registryUrl } from '../infra/src/settings';
import {
  AppName,
  DATA_OWNING_APPS,
  PLATFORM_APPS,
  REPO_ROOT,
  builtEntryOf,
  entryOf,
} from '../scripts/start/platform-apps';
import { envOf, parseDockerfile } from '../scripts/build/dockerfile.model';
import { describeMachine } from './support/machine';
import { sleep } from './support/stats';

const runs = Number(process.env.BENCH_RUNS || 3);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS || 10);
const port = Number(process.env.BENCH_PORT || 3390);
const apps = (
  process.env.BENCH_APPS ? process.env.BENCH_APPS.split(',') : [...PLATFORM_APPS]
) as AppName[];
const infra = loadSettings();
/** The build runs with the image's NODE_OPTIONS, as it runs in a container; the source as `npm start` runs it. */
const imageStages = parseDockerfile(`${REPO_ROOT}/Dockerfile`);
const imageNodeOptions = envOf(imageStages[imageStages.length - 1]).NODE_OPTIONS ?? '';

interface Sample {
  readyMs: number;
  rssMb: number;
}

async function measure(app: AppName, mode: 'build' | 'source'): Promise<Sample> {
  const args =
    mode === 'build'
      ? [builtEntryOf(app)]
      : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entryOf(app)];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    KAFKA_BROKERS: kafkaBootstrap(infra),
    SCHEMA_REGISTRY_URL: registryUrl(infra),
    LOG_LEVEL: 'warn',
    ...(mode === 'build' && imageNodeOptions ? { NODE_OPTIONS: imageNodeOptions } : {}),
    TS_NODE_PROJECT: `${REPO_ROOT}/tsconfig.json`,
    ...(DATA_OWNING_APPS.has(app) ? { DATABASE_URL: serviceDatabaseUrl(infra, app) } : {}),
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    const readyMs = await untilReady(child, started, () => stderr);
    await sleep(idleSeconds * 1000);
    return { readyMs, rssMb: rssOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve),
    );
  }
}

async function untilReady(
  child: ChildProcess,
  started: number,
  stderr: () => string,
): Promise<number> {
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${stderr()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`not ready within 60 s:\n${stderr()}`);
}

/** Resident set size (VmRSS) of the process, MB. */
function rssOf(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  for (const app of apps)
    if (!fs.existsSync(builtEntryOf(app)))
      throw new Error(`${builtEntryOf(app)} is missing: run \`npm run build\` first`);
  console.log(describeMachine());
  console.log(
    `runs per app and mode: ${runs}, idle wait before RSS: ${idleSeconds} s, build run with NODE_OPTIONS="${imageNodeOptions}" (the image's); medians\n`,
  );
  console.log(
    'app            ready (build)  ready (source)  ratio   RSS idle (build)  RSS idle (source)  ratio   targets (≤ 3 s, ≤ 120 MB)',
  );
  for (const app of apps) {
    const build: Sample[] = [];
    const source: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      build.push(await measure(app, 'build'));
      source.push(await measure(app, 'source'));
    }
    const b = {
      ready: median(build.map((s) => s.readyMs)),
      rss: median(build.map((s) => s.rssMb)),
    };
    const s = {
      ready: median(source.map((x) => x.readyMs)),
      rss: median(source.map((x) => x.rssMb)),
    };
    const met =
      b.ready <= 3000 && b.rss <= 120
        ? 'met'
        : `MISSED${b.ready > 3000 ? ' (ready)' : ''}${b.rss > 120 ? ' (RSS)' : ''}`;
    console.log(
      `${app.padEnd(14)} ${`${(b.ready / 1000).toFixed(2)} s`.padStart(13)}  ${`${(s.ready / 1000).toFixed(2)} s`.padStart(14)}  ${(b.ready / s.ready).toFixed(2).padStart(5)}   ` +
        `${`${b.rss.toFixed(0)} MB`.padStart(16)}  ${`${s.rss.toFixed(0)} MB`.padStart(17)}  ${(b.rss / s.rss).toFixed(2).padStart(5)}   ${met}`,
    );
  }
  console.log(
    `\nload average after: ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((error: Error) => {
  console.error(`bench:footprint: ${error.message}`);
  process.exit(1);
});
