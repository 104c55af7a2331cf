import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/**
 * A long-running process owned by the infra scripts, tracked by a pid file so that a later
 * `infra:up` finds and reuses it and `infra:down` can stop it. Output goes to one log file.
 */
export class BackgroundProcess {
  constructor(
    readonly name: string,
    readonly pidFile: string,
    readonly logFile: string,
  ) {}

  pid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(this.pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  isRunning(): boolean {
    const pid = this.pid();
    if (pid === undefined) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  start(
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): number {
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    fs.writeSync(out, `\n--- ${new Date().toISOString()} starting ${this.name}\n`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    if (child.pid === undefined) throw new Error(`could not start ${this.name} (${command})`);
    child.unref();
    fs.writeFileSync(this.pidFile, String(child.pid));
    return child.pid;
  }

  /** SIGTERM, then SIGKILL after graceMs. Resolves once the process is gone. */
  async stop(graceMs = 20_000): Promise<boolean> {
    const pid = this.pid();
    if (pid === undefined || !this.isRunning()) {
      fs.rmSync(this.pidFile, { force: true });
      return false;
    }
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.isRunning() && Date.now() < deadline) await sleep(200);
    if (this.isRunning()) signal(pid, 'SIGKILL');
    while (this.isRunning()) await sleep(100);
    fs.rmSync(this.pidFile, { force: true });
    return true;
  }

  tail(lines = 40): string {
    try {
      const all = fs.readFileSync(this.logFile, 'utf8').split('\n');
      return all.slice(-lines).join('\n');
    } catch {
      return `(no log at ${this.logFile})`;
    }
  }
}

/** Signals the whole process group (the child was started detached, so it leads one). */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls check() until it returns true or the timeout passes; returns whether it succeeded. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(intervalMs);
  }
  return false;
}
