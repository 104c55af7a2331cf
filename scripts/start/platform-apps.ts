import * as path from 'node:path';

/** The reference system's apps (started together; listed in the order they are shown). */
export const PLATFORM_APPS = [
  'orders',
  'payments',
  'inventory',
  'shipping',
  'notifications',
  'checkout',
] as const;

export type AppName = (typeof PLATFORM_APPS)[number];

export const DEFAULT_PORTS: Readonly<Record<AppName, number>> = {
  checkout: 3000,
  orders: 3001,
  payments: 3002,
  inventory: 3003,
  shipping: 3004,
  notifications: 3005,
};

/** Apps that own a schema and a login role (checkout owns no tables). */
export const DATA_OWNING_APPS: ReadonlySet<AppName> = new Set([
  'orders',
  'payments',
  'inventory',
  'shipping',
  'notifications',
]);

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where `npm start` and the e2e suite write each app's log: `<dir>/<app>.log`. */
export const DEFAULT_LOG_DIR = path.join(REPO_ROOT, 'infra', '.data', 'apps');

export const entryOf = (app: AppName): string =>
  path.join(REPO_ROOT, 'apps', app, 'src', 'main.ts');

export function isAppName(name: string): name is AppName {
  return (PLATFORM_APPS as readonly string[]).includes(name);
}
