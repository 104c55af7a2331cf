import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { PrometheusBinaries } from './prometheus-binaries';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/**
 * A real Prometheus server with a configuration of its own: scraping the given targets and
 * evaluating the given rule files every `intervalS` (default 1 s), on TROUPE_PROMETHEUS_PORT
 * (else a free port), storage in a temporary folder unless `storageDir` is given. Used by the
 * monitoring tests and `npm run watch`. `stop()` ends it (and deletes temporary storage).
 */
export class PrometheusServer {
  private child?: ChildProcess;
  private output = '';
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-prometheus-'));
  url = '';

  constructor(
    private readonly binaries: PrometheusBinaries,
    private readonly options: {
      targets: string[];
      ruleFiles?: string[];
      intervalS?: number;
      storageDir?: string;
      port?: number;
    },
  ) {}

  async start(): Promise<void> {
    const port =
      this.options.port ?? (Number(process.env.TROUPE_PROMETHEUS_PORT) || (await freePort()));
    const interval = `${this.options.intervalS ?? 1}s`;
    const config = {
      global: {
        scrape_interval: interval,
        evaluation_interval: interval,
        scrape_timeout: interval,
      },
      rule_files: this.options.ruleFiles ?? [],
      scrape_configs: [{ job_name: 'troupe', static_configs: [{ targets: this.options.targets }] }],
    };
    fs.writeFileSync(path.join(this.dir, 'prometheus.yml'), stringify(config));
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(
      this.binaries.prometheus,
      [
        `--config.file=${path.join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${this.options.storageDir ?? path.join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.on('data', (chunk) => (this.output += chunk));
    this.child.stderr?.on('data', (chunk) => (this.output += chunk));
    const child = this.child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`Prometheus exited (${child.exitCode}):\n${this.output.slice(-2000)}`);
      const ready = await fetch(`${this.url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (Date.now() > deadline)
        throw new Error(
          `Prometheus not ready at ${this.url} after 30 s:\n${this.output.slice(-2000)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** An instant query; throws with Prometheus' error for a bad expression. */
  async query(expr: string): Promise<PromSample[]> {
    const response = await fetch(
      `${this.url}/api/v1/query?${new URLSearchParams({ query: expr })}`,
    );
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: PromSample[] };
    };
    if (body.status !== 'success') throw new Error(`Prometheus rejected ${expr}: ${body.error}`);
    if (body.data!.resultType === 'scalar')
      return [{ metric: {}, value: body.data!.result as unknown as [number, string] }];
    return body.data!.result;
  }

  async alerts(): Promise<PromAlert[]> {
    const body = (await (await fetch(`${this.url}/api/v1/alerts`)).json()) as {
      data: { alerts: PromAlert[] };
    };
    return body.data.alerts;
  }

  /** Runs until the process ends (for a foreground command). */
  exited(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => child.once('exit', resolve));
  }

  /** Scrape health per target. */
  async targets(): Promise<Array<{ scrapeUrl: string; health: string; lastError: string }>> {
    const body = (await (await fetch(`${this.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ scrapeUrl: string; health: string; lastError: string }> };
    };
    return body.data.activeTargets;
  }

  logs(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
