import * as path from 'node:path';

/**
 * Settings of the local infrastructure, read once from the environment.
 * Every field names the variable that sets it; a bad value stops with a message naming it.
 */
export interface InfraSettings {
  /** TROUPE_INFRA_DIR — where data and logs live. Default: infra/.data */
  dataDir: string;
  /** infra/.cache — Maven-resolved jars (git-ignored). */
  cacheDir: string;
  /** TROUPE_KAFKA_PORT — the broker's client port on 127.0.0.1. Default 9092. */
  kafkaPort: number;
  /** TROUPE_KAFKA_CONTROLLER_PORT — the KRaft controller port. Default 9093. */
  controllerPort: number;
  /** TROUPE_REGISTRY_PORT — the schema registry's HTTP port. Default 8081. */
  registryPort: number;
  /** DATABASE_URL — an admin connection to PostgreSQL. Default postgres://postgres@127.0.0.1:5432/postgres */
  databaseUrl: string;
  /** The database the apps use. Default troupe. */
  appDatabase: string;
  /** The database the registry keeps its schemas in. Default troupe_registry. */
  registryDatabase: string;
  /** TROUPE_INFRA_START_TIMEOUT_MS — how long one part may take to become healthy. Default 90000. */
  startTimeoutMs: number;
  kafkaVersion: string;
  apicurioVersion: string;
}

export const INFRA_ROOT = path.resolve(__dirname, '..');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port between 1 and 65535, got "${raw}"`);
  }
  return value;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Versions come from infra/pom.xml so that Maven and the scripts never disagree. */
function pomProperty(pom: string, name: string): string {
  const match = new RegExp(`<${name.replace('.', '\\.')}>([^<]+)</`).exec(pom);
  if (!match) throw new Error(`infra/pom.xml has no <${name}> property`);
  return match[1];
}

export function loadSettings(): InfraSettings {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pom: string = require('node:fs').readFileSync(path.join(INFRA_ROOT, 'pom.xml'), 'utf8');
  const settings: InfraSettings = {
    dataDir: path.resolve(process.env.TROUPE_INFRA_DIR || path.join(INFRA_ROOT, '.data')),
    cacheDir: path.join(INFRA_ROOT, '.cache'),
    kafkaPort: port('TROUPE_KAFKA_PORT', 9092),
    controllerPort: port('TROUPE_KAFKA_CONTROLLER_PORT', 9093),
    registryPort: port('TROUPE_REGISTRY_PORT', 8081),
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    appDatabase: process.env.TROUPE_DATABASE || 'troupe',
    registryDatabase: process.env.TROUPE_REGISTRY_DATABASE || 'troupe_registry',
    startTimeoutMs: positiveInt('TROUPE_INFRA_START_TIMEOUT_MS', 90_000),
    kafkaVersion: pomProperty(pom, 'kafka.version'),
    apicurioVersion: pomProperty(pom, 'apicurio.version'),
  };
  try {
    new URL(settings.databaseUrl);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: "${settings.databaseUrl}"`);
  }
  const ports = [settings.kafkaPort, settings.controllerPort, settings.registryPort];
  if (new Set(ports).size !== ports.length) {
    throw new Error(
      'TROUPE_KAFKA_PORT, TROUPE_KAFKA_CONTROLLER_PORT and TROUPE_REGISTRY_PORT must differ',
    );
  }
  return settings;
}

export const kafkaBootstrap = (s: InfraSettings) => `127.0.0.1:${s.kafkaPort}`;
export const registryUrl = (s: InfraSettings) =>
  `http://127.0.0.1:${s.registryPort}/apis/ccompat/v7`;
