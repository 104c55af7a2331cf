import { execSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';

/** CPU seconds used so far, by who uses them. Linux only (/proc); elsewhere everything is 0. */
type CpuSeconds = Record<'bench' | 'peer' | 'postgres' | 'kafka' | 'registry' | 'machine', number>;

/** Processes this bench started (a producer in its own process): counted as "peer". */
const peers = new Set<number>();

/** Counts `pid` (and nothing else) as the bench's peer process in later samples. */
export function countAsPeer(pid: number): void {
  peers.add(pid);
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process ended between listing and reading
  }
}

type Group = Exclude<keyof CpuSeconds, 'machine'>;

/** Busy CPU seconds of the whole machine, and of every process of a known group by pid. */
function snapshot(): {
  machine: number;
  processes: Map<number, { group: Group; seconds: number }>;
} {
  const cpuLine = read('/proc/stat').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const machine =
    cpuLine.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0) / TICKS_PER_SECOND;
  const processes = new Map<number, { group: Group; seconds: number }>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return { machine, processes };
  }
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    let group: Group | undefined;
    if (Number(pid) === process.pid) group = 'bench';
    else if (peers.has(Number(pid))) group = 'peer';
    else if (comm === 'postgres') group = 'postgres';
    else if (comm === 'java') {
      const cmdline = read(`/proc/${pid}/cmdline`);
      group = cmdline.includes('kafka.Kafka')
        ? 'kafka'
        : cmdline.includes('apicurio')
          ? 'registry'
          : undefined;
    }
    if (!group) continue;
    const fields = stat.slice(close + 2).split(' ');
    processes.set(Number(pid), {
      group,
      seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    }); // utime + stime
  }
  return { machine, processes };
}

/**
 * CPU use during one phase, in cores (CPU seconds per wall second): this bench process,
 * PostgreSQL (every backend, other users' included), the Kafka broker, the registry, and
 * "other" (the rest of the machine: other sessions' work). Postgres backends that end inside
 * the phase show up under "other" (their last readings are gone). Also the bench's event-loop
 * utilisation.
 */
export function startCpuSample(): () => string {
  const before = snapshot();
  const loopBefore = performance.eventLoopUtilization();
  const startedAt = Date.now();
  return () => {
    const after = snapshot();
    // The share of the phase this process's one JS thread was busy: near 1 means it is the bottleneck.
    const loop = performance.eventLoopUtilization(loopBefore).utilization;
    const wall = (Date.now() - startedAt) / 1000;
    // Per process, only what it used inside the phase (a process started meanwhile counts from 0).
    const used: CpuSeconds = {
      bench: 0,
      peer: 0,
      postgres: 0,
      kafka: 0,
      registry: 0,
      machine: after.machine - before.machine,
    };
    for (const [pid, { group, seconds }] of after.processes)
      used[group] += seconds - (before.processes.get(pid)?.seconds ?? 0);
    const cores = (key: keyof CpuSeconds) => used[key] / wall;
    const known = cores('bench') + cores('peer') + cores('postgres') + cores('kafka') + cores('registry');
    const f = (v: number) => v.toFixed(2);
    const peer = peers.size > 0 ? `, peer process ${f(cores('peer'))}` : '';
    return `cpu (cores): bench ${f(cores('bench'))}${peer}, postgres ${f(cores('postgres'))}, kafka ${f(cores('kafka'))}, registry ${f(cores('registry'))}, other ${f(Math.max(0, cores('machine') - known))}; machine busy ${f(cores('machine'))} of ${os.cpus().length}; bench event loop busy ${(loop * 100).toFixed(0)}%`;
  };
}
