import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalInfra } from '../infra/src/local-infra';
import { kafkaBootstrap, registryUrl } from '../infra/src/settings';

export const STARTED_FILE = path.join(__dirname, '..', 'infra', '.data', 'started-by-tests.json');

/**
 * Brings the real infrastructure up once for the integration and e2e projects (jest runs this
 * per project; the second call finds everything healthy and starts nothing). What this starts
 * is written down so the teardown stops exactly that and leaves a developer's stack alone.
 */
export default async function globalSetup(): Promise<void> {
  const infra = new LocalInfra(undefined, (line) => process.stderr.write(`[infra] ${line}\n`));
  const started = await infra.up();
  if (started.length > 0) {
    const before: string[] = fs.existsSync(STARTED_FILE) ? JSON.parse(fs.readFileSync(STARTED_FILE, 'utf8')) : [];
    fs.mkdirSync(path.dirname(STARTED_FILE), { recursive: true });
    fs.writeFileSync(STARTED_FILE, JSON.stringify([...new Set([...before, ...started])]));
  }
  process.env.TROUPE_KAFKA_BROKERS = kafkaBootstrap(infra.settings);
  process.env.TROUPE_SCHEMA_REGISTRY_URL = registryUrl(infra.settings);
  process.env.TROUPE_INFRA_DATABASE_URL = infra.settings.databaseUrl;
  process.env.TROUPE_DATABASE = infra.settings.appDatabase;
}
