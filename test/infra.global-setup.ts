import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalInfra } from '../infra/src/local-infra';
import { kafkaBootstrap, registryUrl } from '../infra/src/settings';

/** Which parts this test run (this jest process) started, so its teardown stops exactly those. */
export const startedFile = () =>
  path.join(
    new LocalInfra(undefined, () => undefined).settings.dataDir,
    `started-by-tests.${process.pid}.json`,
  );

/**
 * Brings the real infrastructure up once for the integration and e2e projects (jest runs this
 * per project; the second call finds everything healthy and starts nothing). What this starts
 * is written down so the teardown stops exactly that and leaves a developer's stack alone.
 */
export default async function globalSetup(): Promise<void> {
  const infra = new LocalInfra(undefined, (line) => process.stderr.write(`[infra] ${line}\n`));
  const started = await infra.up();
  if (started.length > 0) {
    // Keyed by this jest process: another test run sharing the stack never stops it.
    const file = startedFile();
    const before: string[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify([...new Set([...before, ...started])]));
  }
  process.env.TROUPE_KAFKA_BROKERS = kafkaBootstrap(infra.settings);
  process.env.TROUPE_SCHEMA_REGISTRY_URL = registryUrl(infra.settings);
  process.env.TROUPE_INFRA_DATABASE_URL = infra.settings.databaseUrl;
  process.env.TROUPE_DATABASE = infra.settings.appDatabase;
}
