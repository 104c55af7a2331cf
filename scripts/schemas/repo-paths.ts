import * as path from 'node:path';

/** Where the schema tooling reads and writes, relative to the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Source of truth: one `.avsc` per event type, `schemas/<domain>/<EventName>.avsc`. */
export const SCHEMAS_DIR = 'schemas';
/** Owned by the generator: `schemas:gen` deletes any file here that it did not produce. */
export const GENERATED_DIR = 'libs/schemas/src/generated';
/** The registry used when TROUPE_SCHEMA_REGISTRY_URL is unset; `npm run infra:up` serves it. */
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

export function registryUrlFromEnv(): string {
  return process.env.TROUPE_SCHEMA_REGISTRY_URL ?? DEFAULT_REGISTRY_URL;
}
