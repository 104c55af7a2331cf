import * as path from 'node:path';

/** The reference system's apps (started together; listed in the order they are shown). */
export const PLATFORM_APPS = [
  'orders',
  'payments',
  'inventory',
  'shipping',
  'notifications',
  'checkout',
  'scheduler',
  'tasks',
  'compensation',
] as const;

export type AppName = (typeof PLATFORM_APPS)[number];

/**
 * TROUPE_APP_PORT_BASE (default 3000) moves every app's port together, so two checkouts (or a
 * running `npm start` and the e2e suite) can live on one machine.
 */
export const APP_PORT_BASE = appPortBase(process.env.TROUPE_APP_PORT_BASE);

export const PORT_OFFSETS: Readonly<Record<AppName, number>> = {
  checkout: 0,
  orders: 1,
  payments: 2,
  inventory: 3,
  shipping: 4,
  notifications: 5,
  scheduler: 6,
  tasks: 7,
  compensation: 8,
};

export const DEFAULT_PORTS: Readonly<Record<AppName, number>> = Object.fromEntries(
  PLATFORM_APPS.map((app) => [app, APP_PORT_BASE + PORT_OFFSETS[app]]),
) as Record<AppName, number>;

function appPortBase(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base > 65000)
    throw new Error(`TROUPE_APP_PORT_BASE must be an integer from 1024 to 65000, got "${raw}"`);
  return base;
}

/** Apps that own a schema and a login role (checkout owns no tables). */
export const DATA_OWNING_APPS: ReadonlySet<AppName> = new Set([
  'orders',
  'payments',
  'inventory',
  'shipping',
  'notifications',
  'scheduler',
  'tasks',
  'compensation',
]);

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where `npm start` and the e2e suite write each app's log: `<dir>/<app>.log`. */
export const DEFAULT_LOG_DIR = path.join(REPO_ROOT, 'infra', '.data', 'apps');

export const entryOf = (app: AppName): string =>
  path.join(REPO_ROOT, 'apps', app, 'src', 'main.ts');

/** What `npm run build` writes for an app (the Docker image runs the same file). */
export const builtEntryOf = (app: AppName): string =>
  path.join(REPO_ROOT, 'dist', 'apps', app, 'main.js');

export function isAppName(name: string): name is AppName {
  return (PLATFORM_APPS as readonly string[]).includes(name);
}
