/**
 * `npm start`: the reference system on this machine. Brings the infrastructure up (or reuses
 * it), registers the schemas, starts every app as a child process, waits until each is ready
 * and prints where it listens. App logs go to infra/.data/apps/<app>.log; warnings and errors
 * are also shown here. Ctrl-C (or SIGTERM) stops the apps and exits 0; the infrastructure keeps
 * running (`npm run infra:down` stops it). `npm run demo` adds a traffic generator with a live
 * summary. Flags: see START_USAGE.
 */
import { LocalInfra } from '../../infra/src/local-infra';
import { kafkaBootstrap, registryUrl } from '../../infra/src/settings';
import { loadLocalSchemas } from '../schemas/local-schemas.loader';
import { REPO_ROOT, SCHEMAS_DIR } from '../schemas/repo-paths';
import { registerSchemas } from '../schemas/schema.registrar';
import { runDemo } from './demo/run-demo';
import { TerminalPanel } from './demo/terminal-panel';
import { terminalLine } from './log-lines';
import { DEFAULT_LOG_DIR } from './platform-apps';
import { PlatformHandle, startPlatform } from './platform-processes';
import { START_USAGE, StartOptions, parseStartOptions } from './start.options';

const panel = new TerminalPanel();
const say = (line: string) => panel.print(line);

async function main(options: StartOptions): Promise<number> {
  const running: { platform?: PlatformHandle } = {};
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      say(`\n${signal}: stopping the apps (again to kill them at once)`);
      stopRequested();
      if (!running.platform) process.exit(130); // still starting: nothing of ours to stop gracefully
    } else {
      say(`${signal} again: killing the apps`);
      process.exit(130); // platform-processes kills every child on exit
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const t0 = Date.now();
  const infra = new LocalInfra(undefined, (line) => say(`infra      ${line}`));
  await infra.up();
  const registry = registryUrl(infra.settings);
  const registered = await registerSchemas(registry, loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR));
  say(`schemas    ${registered.length} subjects registered at ${registry}`);
  say(`apps       starting ${options.apps.join(', ')} (logs: ${DEFAULT_LOG_DIR}/<app>.log)`);

  const platform = await startPlatform({
    apps: options.apps,
    infra: infra.settings,
    onProgress: (message) => say(`           ${message}`),
    onLine: (app, line) => {
      const shown = terminalLine(app, line, options.logs);
      if (shown) say(shown);
    },
  });
  running.platform = platform;
  if (signals > 0) return stopAll(platform);

  say('');
  say(
    `Troupe is up in ${((Date.now() - t0) / 1000).toFixed(1)} s: Kafka ${kafkaBootstrap(infra.settings)}, registry ${registry}`,
  );
  for (const app of platform.apps)
    say(
      `  ${app.padEnd(13)} ${platform.urls[app]}   docs ${platform.urls[app]}/docs   metrics ${platform.urls[app]}/metrics`,
    );
  if (platform.urls.checkout && platform.urls.inventory) {
    const json = `-H 'content-type: application/json'`;
    say('');
    say(
      `  stock a SKU:    curl -s -XPUT ${platform.urls.inventory}/stock/SKU-1 ${json} -d '{"available":100}'`,
    );
    say(`  place an order: curl -s -XPOST ${platform.urls.checkout}/checkout ${json} \\`);
    say(
      `                    -d '{"customerId":"c-1","items":[{"sku":"SKU-1","quantity":1,"unitPriceCents":1999}]}'`,
    );
    say(`  follow it:      curl -s ${platform.urls.checkout}/checkout/<orderId>`);
  }
  if (platform.urls.notifications)
    say(`  live feed:      curl -N ${platform.urls.notifications}/feed`);
  if (platform.urls.scheduler)
    say(
      `  scheduled jobs: curl -s -H "authorization: Bearer $ADMIN_TOKEN" ${platform.urls.scheduler}/admin/jobs${process.env.ADMIN_TOKEN ? '' : '   (set ADMIN_TOKEN, 16+ characters, to open the admin API)'}`,
    );
  say('Ctrl-C stops the apps; the infrastructure keeps running (npm run infra:down stops it).');
  say('');

  if (options.demo) {
    const declineAboveCents = Number(process.env.PAYMENT_DECLINE_ABOVE_CENTS || 100_000);
    await runDemo({
      checkoutUrl: platform.urls.checkout!,
      inventoryUrl: platform.urls.inventory!,
      rate: options.rate,
      declineShare: options.declineShare,
      stockShare: options.stockShare,
      declineAboveCents,
      durationS: options.durationS,
      stopped,
      panel,
    });
  } else {
    await stopped;
  }
  return stopAll(platform);
}

async function stopAll(platform: PlatformHandle): Promise<number> {
  const t0 = Date.now();
  await platform.stop();
  say(`all apps stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

let options: StartOptions;
try {
  options = parseStartOptions(process.argv.slice(2));
} catch (error) {
  console.error(`start: ${(error as Error).message}\n${START_USAGE}`);
  process.exit(2);
}
if (process.argv.includes('--help')) {
  console.log(START_USAGE);
  process.exit(0);
}
main(options).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`start: ${error.message}`);
    process.exit(1);
  },
);
