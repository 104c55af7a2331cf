import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppStartError } from './app-start.error';
import { REPO_ROOT } from './platform-apps';

export interface AppProcessOptions {
  /** The app's name: log prefix and file name. */
  name: string;
  /** The entry point: main.ts (run through ts-node) or a built main.js (run by node alone). */
  entry: string;
  port: number;
  /** The complete environment of the child. */
  env: NodeJS.ProcessEnv;
  /** Appended to on every start. */
  logFile: string;
  /** Every output line of the child, as it comes. */
  onLine?: (app: string, line: string) => void;
  /** How long a start may take until /health/ready answers 200. Default 120000 ms. */
  readyTimeoutMs?: number;
  /** How long a graceful stop may take before SIGKILL. Default 15000 ms. */
  stopTimeoutMs?: number;
}

const KEEP_LINES = 300;

/**
 * One app as a child process: `node -r ts-node/register/transpile-only -r tsconfig-paths/register
 * <entry>`, in a process group of its own (so a Ctrl-C in the terminal reaches only the
 * orchestrator, which stops the apps in order). Output goes to the log file and a ring of the
 * last lines; `start()` resolves once GET /health/ready answers 200.
 */
export class AppProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private readonly lines: string[] = [];
  private log?: fs.WriteStream;
  /** The signal this object sent, so an exit it caused is not reported as a crash. */
  private sent?: NodeJS.Signals;

  constructor(readonly options: AppProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last `count` output lines (across restarts). */
  lastLines(count = 40): string[] {
    return this.lines.slice(-count);
  }

  /** Spawns the app and waits until it is ready; on failure it is killed and AppStartError thrown. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.child?.pid})`);
    fs.mkdirSync(path.dirname(this.options.logFile), { recursive: true });
    this.log ??= fs.createWriteStream(this.options.logFile, { flags: 'a' });
    this.record(
      `--- ${new Date().toISOString()} starting ${this.name} on port ${this.options.port}`,
    );
    const child = spawn(
      process.execPath,
      this.options.entry.endsWith('.js')
        ? [this.options.entry]
        : [
            '-r',
            'ts-node/register/transpile-only',
            '-r',
            'tsconfig-paths/register',
            this.options.entry,
          ],
      {
        cwd: REPO_ROOT,
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    this.child = child;
    this.sent = undefined;
    // 'close': the process is gone and its output fully read.
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('exit', (code, signal) => {
      const how = signal ?? `code ${code}`;
      const what =
        this.sent === 'SIGTERM'
          ? `stopped (${how})`
          : this.sent
            ? `killed (${how})`
            : `exited with ${how}`;
      this.record(`--- ${new Date().toISOString()} ${this.name} (pid ${child.pid}) ${what}`);
    });
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (pending + chunk).split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) if (line) this.record(line);
      });
      stream?.on('end', () => pending && this.record(pending));
    }
    try {
      await this.waitUntilReady(child);
    } catch (error) {
      await this.kill('SIGKILL');
      throw error;
    }
  }

  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const gone = await this.signalAndWait('SIGTERM', this.options.stopTimeoutMs ?? 15_000);
    if (!gone) {
      this.record(
        `--- ${this.name} did not stop within ${this.options.stopTimeoutMs ?? 15_000} ms; SIGKILL`,
      );
      await this.kill('SIGKILL');
    }
  }

  /** Sends `signal` (default SIGKILL: a crash) and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    await this.signalAndWait(signal, 30_000);
  }

  /** Last resort when the orchestrator itself exits: synchronous, no waiting. */
  killNow(): void {
    this.sent = 'SIGKILL';
    if (this.running) this.child?.kill('SIGKILL');
  }

  /** Closes the log file; the process must be stopped. */
  async close(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    if (log) await new Promise<void>((resolve) => log.end(resolve));
  }

  private async signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
    const exited = this.exited;
    this.sent = signal;
    this.child?.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
    );
    const result = await Promise.race([exited!.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
        throw new AppStartError(
          this.name,
          `the process exited with ${child.signalCode ?? `code ${child.exitCode}`}`,
          this.lastLines(),
        );
      }
      try {
        const response = await fetch(`${this.url}/health/ready`, {
          signal: AbortSignal.timeout(2000),
        });
        if (response.status === 200) return;
        last = `/health/ready answered ${response.status}: ${(await response.text()).slice(0, 300)}`;
      } catch (error) {
        last = `/health/ready: ${(error as Error).message}`;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new AppStartError(
      this.name,
      `not ready within ${timeoutMs} ms (last: ${last})`,
      this.lastLines(),
    );
  }

  private record(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    this.log?.write(`${line}\n`);
    this.options.onLine?.(this.name, line);
  }
}
