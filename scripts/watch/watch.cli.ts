/**
 * `npm run watch`: a Prometheus for the reference system started by `npm start`, without
 * Docker. It scrapes every app (ports from TROUPE_APP_PORT_BASE, like npm start) every 5 s,
 * evaluates Troupe's alert rules (infra/prometheus/rules) and keeps its data in
 * infra/.data/prometheus. Listens on TROUPE_PROMETHEUS_PORT (default 9090). Prometheus comes
 * from Debian's package, installed when missing. Ctrl-C stops it.
 * `npm run dashboards:check` then runs every dashboard panel's query against it.
 */
import * as path from 'node:path';
import { ensurePrometheus, isUnavailable } from '../../infra/src/prometheus-binaries';
import { ruleFiles } from '../../infra/src/prometheus-rules';
import { PrometheusServer } from '../../infra/src/prometheus-server';
import { DEFAULT_PORTS, PLATFORM_APPS, REPO_ROOT } from '../start/platform-apps';

async function main(): Promise<number> {
  const binaries = ensurePrometheus();
  if (isUnavailable(binaries)) {
    console.error(`watch: ${binaries.unavailable}`);
    return 1;
  }
  const port = Number(process.env.TROUPE_PROMETHEUS_PORT) || 9090;
  const targets = PLATFORM_APPS.map((app) => `127.0.0.1:${DEFAULT_PORTS[app]}`);
  const server = new PrometheusServer(binaries, {
    targets,
    ruleFiles: ruleFiles(),
    intervalS: 5,
    port,
    storageDir: path.join(REPO_ROOT, 'infra', '.data', 'prometheus'),
  });
  await server.start();
  console.log(
    `Prometheus ${binaries.version} at ${server.url}, scraping ${targets.join(', ')} with ${ruleFiles().length} rule file(s)`,
  );
  console.log(
    `  alerts: ${server.url}/alerts   dashboard queries: npm run dashboards:check -- --prometheus=${server.url}`,
  );
  const stop = () => void server.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await server.exited();
  await server.stop();
  return code ?? 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`watch: ${error.message}`);
    process.exit(1);
  },
);
