import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { waitFor } from '@troupe/testing';
import { PrometheusBinaries } from '../../infra/src/prometheus-binaries';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/**
 * A real Prometheus server for one test file: its own configuration, storage and port
 * (TROUPE_PROMETHEUS_PORT, else a free one), scraping the given targets every second and
 * evaluating the given rule files every second. `stop()` ends it and deletes its storage.
 */
export class PrometheusServer {
  private child?: ChildProcess;
  private output = '';
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-prometheus-'));
  url = '';

  constructor(
    private readonly binaries: PrometheusBinaries,
    private readonly options: { targets: string[]; ruleFiles?: string[]; intervalS?: number },
  ) {}

  async start(): Promise<void> {
    const port = Number(process.env.TROUPE_PROMETHEUS_PORT) || (await freePort());
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
        `--storage.tsdb.path=${path.join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.on('data', (chunk) => (this.output += chunk));
    this.child.stderr?.on('data', (chunk) => (this.output += chunk));
    await waitFor(
      `Prometheus ready at ${this.url}`,
      async () =>
        this.child?.exitCode === null &&
        (await fetch(`${this.url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )),
      30_000,
      200,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}\n${this.output.slice(-2000)}`);
    });
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
