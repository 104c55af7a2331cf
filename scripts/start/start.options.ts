import { TerminalLogLevel } from './log-lines';
import { AppName, PLATFORM_APPS, isAppName } from './platform-apps';

/** `npm start -- [flags]` / `npm run demo -- [flags]`; every flag has a default. */
export interface StartOptions {
  /** --demo: run the traffic generator and show its live summary. */
  demo: boolean;
  /** --rate=<orders/s>. Default 5. */
  rate: number;
  /** --decline-share=<0..1>: orders built to fail payment. Default 0.1. */
  declineShare: number;
  /** --stock-share=<0..1>: orders built to fail stock. Default 0.1. */
  stockShare: number;
  /** --duration=<seconds>: stop by itself after this long (demo only). Default: until Ctrl-C. */
  durationS?: number;
  /** --logs=<debug|info|warn|error|none>: app log lines shown in the terminal. Default warn, error with --demo. */
  logs: TerminalLogLevel;
  /** --apps=<a,b>: start only these apps. Default all. */
  apps: AppName[];
}

export const START_USAGE = `usage: npm start -- [--demo] [--rate=5] [--decline-share=0.1] [--stock-share=0.1] [--duration=<s>] [--logs=warn] [--apps=${PLATFORM_APPS.join(',')}]`;

/** Parses the flags; a bad one throws naming it. */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument "${arg}"`);
    flags.set(match[1], match[2] ?? 'true');
  }
  const known = [
    'demo',
    'rate',
    'decline-share',
    'stock-share',
    'duration',
    'logs',
    'apps',
    'help',
  ];
  for (const name of flags.keys())
    if (!known.includes(name)) throw new Error(`unknown flag --${name}`);
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const demo = flags.get('demo') === 'true';
  const logs = (flags.get('logs') ?? (demo ? 'error' : 'warn')) as TerminalLogLevel;
  if (!['debug', 'info', 'warn', 'error', 'none'].includes(logs))
    throw new Error(`--logs must be debug, info, warn, error or none, got "${logs}"`);
  const apps = (flags.get('apps') ?? PLATFORM_APPS.join(',')).split(',').map((a) => a.trim());
  for (const app of apps)
    if (!isAppName(app))
      throw new Error(`--apps: unknown app "${app}" (known: ${PLATFORM_APPS.join(', ')})`);
  const options: StartOptions = {
    demo,
    rate: number('rate', 5, 0.1, 1000),
    declineShare: number('decline-share', 0.1, 0, 1),
    stockShare: number('stock-share', 0.1, 0, 1),
    durationS: flags.has('duration') ? number('duration', 0, 1, 86_400) : undefined,
    logs,
    apps: apps as AppName[],
  };
  if (options.declineShare + options.stockShare > 1)
    throw new Error('--decline-share and --stock-share must add up to at most 1');
  if (
    demo &&
    !(['checkout', 'orders', 'payments', 'inventory', 'shipping'] as const).every((app) =>
      options.apps.includes(app),
    )
  ) {
    throw new Error('--demo needs checkout, orders, payments, inventory and shipping');
  }
  return options;
}
