import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { serviceDatabaseUrl } from '../../infra/src/service-databases';
import { InfraSettings, kafkaBootstrap, loadSettings, registryUrl } from '../../infra/src/settings';
import { AppProcess } from './app-process';
import {
  AppName,
  DATA_OWNING_APPS,
  DEFAULT_LOG_DIR,
  DEFAULT_PORTS,
  PLATFORM_APPS,
  REPO_ROOT,
  builtEntryOf,
  entryOf,
} from './platform-apps';

export interface StartPlatformOptions {
  /** Which apps to start, in this order. Default: all of {@link PLATFORM_APPS}. */
  apps?: readonly AppName[];
  /** Ports by app. Default {@link DEFAULT_PORTS}. */
  ports?: Partial<Record<AppName, number>>;
  /** Extra environment for every app (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /**
   * Run the built apps (`npm run build`: dist/apps/<app>/main.js with node alone) instead of
   * the sources through ts-node. Default false.
   */
  fromBuild?: boolean;
  /** Extra environment per app (e.g. each app's own Kafka credentials); wins over `env` and over what this module derives. */
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
  /** Where the infrastructure listens. Default: the settings `npm run infra:up` uses. */
  infra?: InfraSettings;
  /** Each app's log goes to `<logDir>/<app>.log`, truncated at start. Default infra/.data/apps. */
  logDir?: string;
  /** Every output line of every app. */
  onLine?: (app: AppName, line: string) => void;
  /** Progress of the start: `orders ready in 3.1 s`. */
  onProgress?: (message: string) => void;
  /** Per app. Default 120000 ms. */
  readyTimeoutMs?: number;
  /** Per app: SIGTERM, then SIGKILL after this long. Default 15000 ms. */
  stopTimeoutMs?: number;
}

/** The running reference system. */
export interface PlatformHandle {
  readonly apps: readonly AppName[];
  /** Base URL of each app started. */
  readonly urls: Readonly<Partial<Record<AppName, string>>>;
  /** Crashes an app (default SIGKILL) and waits until its process is gone. */
  kill(app: AppName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts an app that is not running and waits until it is ready. */
  start(app: AppName): Promise<void>;
  /** Stops an app gracefully (if running), starts it again and waits until it is ready. */
  restart(app: AppName): Promise<void>;
  isRunning(app: AppName): boolean;
  pid(app: AppName): number | undefined;
  lastLines(app: AppName, count?: number): string[];
  logFile(app: AppName): string;
  /** The last log lines of every app, for test failure messages. */
  diagnostics(linesPerApp?: number): string;
  /** Stops every app (SIGTERM, then SIGKILL after the timeout); resolves when all are gone. */
  stop(): Promise<void>;
}

/**
 * Starts the reference system's apps as child processes against running infrastructure, each
 * with its own port, database login, broker and registry addresses, and waits until every one
 * answers /health/ready. If one does not, all are stopped and the error names it with its last
 * log lines. Used by `npm start` and by the e2e suite.
 */
export async function startPlatform(options: StartPlatformOptions = {}): Promise<PlatformHandle> {
  const apps = options.apps ?? PLATFORM_APPS;
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const infra = options.infra ?? loadSettings();
  const logDir = options.logDir ?? DEFAULT_LOG_DIR;
  await assertPortsFree(apps.map((app) => [app, ports[app]]));
  if (options.fromBuild) {
    const missing = apps.filter((app) => !fs.existsSync(builtEntryOf(app)));
    if (missing.length > 0)
      throw new Error(
        `not built: ${missing.map(builtEntryOf).join(', ')}; run \`npm run build\` first`,
      );
  }
  fs.mkdirSync(logDir, { recursive: true });

  const processes = new Map<AppName, AppProcess>();
  for (const app of apps) {
    const logFile = path.join(logDir, `${app}.log`);
    fs.writeFileSync(logFile, '');
    processes.set(
      app,
      new AppProcess({
        name: app,
        entry: options.fromBuild ? builtEntryOf(app) : entryOf(app),
        port: ports[app],
        env: appEnvironment(app, ports, infra, options),
        logFile,
        onLine: options.onLine && ((name, line) => options.onLine!(name as AppName, line)),
        readyTimeoutMs: options.readyTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
      }),
    );
  }
  const get = (app: AppName): AppProcess => {
    const found = processes.get(app);
    if (!found)
      throw new Error(`${app} is not part of this platform (started: ${apps.join(', ')})`);
    return found;
  };
  const killAllNow = () => processes.forEach((p) => p.killNow());
  process.once('exit', killAllNow);

  const stop = async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await Promise.all([...processes.values()].map((p) => p.close()));
    process.removeListener('exit', killAllNow);
  };

  const t0 = Date.now();
  const results = await Promise.allSettled(
    apps.map(async (app) => {
      const started = Date.now();
      await get(app).start();
      options.onProgress?.(
        `${app.padEnd(13)} ready at ${get(app).url} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) {
    await stop();
    throw new Error(
      `the platform did not start (${failures.length} app(s) failed):\n${failures.map((f) => f.message).join('\n\n')}`,
    );
  }
  options.onProgress?.(
    `all ${apps.length} apps ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  return {
    apps,
    urls: Object.fromEntries(apps.map((app) => [app, get(app).url])),
    kill: (app, signal) => get(app).kill(signal),
    start: (app) => get(app).start(),
    restart: async (app) => {
      await get(app).stop();
      await get(app).start();
    },
    isRunning: (app) => get(app).running,
    pid: (app) => get(app).pid,
    lastLines: (app, count) => get(app).lastLines(count),
    logFile: (app) => get(app).options.logFile,
    diagnostics: (linesPerApp = 15) =>
      apps
        .map(
          (app) =>
            `--- ${app} (${get(app).running ? `running, pid ${get(app).pid}` : 'NOT running'}) ---\n${get(app).lastLines(linesPerApp).join('\n')}`,
        )
        .join('\n'),
    stop,
  };
}

/** What one app is told: the caller's environment, minus settings that belong to one app, plus its own. */
function appEnvironment(
  app: AppName,
  ports: Record<AppName, number>,
  infra: InfraSettings,
  options: StartPlatformOptions,
): NodeJS.ProcessEnv {
  // DATABASE_URL of the orchestrator is the infra admin login; PORT and CONSUMER_GROUP are per app.
  const { DATABASE_URL: _admin, PORT: _port, CONSUMER_GROUP: _group, ...inherited } = process.env;
  const local = (name: AppName) => `http://127.0.0.1:${ports[name]}`;
  return {
    ...inherited,
    TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
    KAFKA_BROKERS: kafkaBootstrap(infra),
    SCHEMA_REGISTRY_URL: registryUrl(infra),
    ...(DATA_OWNING_APPS.has(app) ? { DATABASE_URL: serviceDatabaseUrl(infra, app) } : {}),
    ...(app === 'checkout'
      ? {
          ORDERS_URL: local('orders'),
          PAYMENTS_URL: local('payments'),
          INVENTORY_URL: local('inventory'),
          SHIPPING_URL: local('shipping'),
          NOTIFICATIONS_URL: local('notifications'),
        }
      : {}),
    // The reference system's broadcast group: each notifications replica has one, which the
    // lag exporter deletes once that replica is gone.
    // Traces, the outbox view, replay, redrive and gaps ask every service with an outbox for its
    // part (/troupe/admin); the groups to replay to are the ones those services declare.
    ...(app === 'compensation'
      ? {
          LAG_BROADCAST_GROUPS: 'notifications-feed',
          SERVICE_ADMIN_URLS: [...DATA_OWNING_APPS]
            .filter((name) => name !== 'compensation')
            .map((name) => `${name}=${local(name)}`)
            .join(','),
        }
      : {}),
    ...(app === 'scheduler'
      ? {
          ORDERS_URL: local('orders'),
          PAYMENTS_URL: local('payments'),
          COMPENSATION_URL: local('compensation'),
        }
      : {}),
    ...options.env,
    PORT: String(ports[app]),
    ...options.appEnv?.[app],
  };
}

/** Fails early, naming the port, when something already listens where an app would. */
async function assertPortsFree(wanted: Array<[AppName, number]>): Promise<void> {
  const taken: string[] = [];
  await Promise.all(
    wanted.map(async ([app, port]) => {
      if (await answers(port)) taken.push(`${port} (${app})`);
    }),
  );
  if (taken.length > 0) {
    throw new Error(
      `port(s) already in use: ${taken.sort().join(', ')}. Is another \`npm start\` or e2e run still going? Stop it first.`,
    );
  }
}

function answers(port: number): Promise<boolean> {
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
