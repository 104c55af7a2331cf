import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/** A bad or missing setting; the message names every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a settings class (class-validator decorators, property names = variable names) from the
 * environment, with implicit type conversion, and validates it once. Throws {@link ConfigError}
 * naming every bad setting.
 */
export function loadConfig<T extends object>(type: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new type() as Record<string, unknown>;
  const present = Object.fromEntries(
    Object.entries(env)
      .filter(([name, value]) => value !== undefined && value !== '' && name in defaults)
      .map(([name, value]) => [name, convertLike(defaults[name], value as string)]),
  );
  const config = plainToInstance(type, { ...defaults, ...present }, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(errors.flatMap((error) => describe(error, env)));
  return config;
}

/** Settings whose values are never repeated in a message (only their length is). */
const SECRET = /TOKEN|SECRET|PASSWORD/;

function describe(error: ValidationError, env: NodeJS.ProcessEnv): string[] {
  const raw = env[error.property];
  const got = raw === undefined || raw === '' ? 'not set' : SECRET.test(error.property) ? `got ${raw.length} characters` : `got "${raw}"`;
  return Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message} (${got})`);
}

/** Converts by the default's type, so settings need no type annotation to be read as numbers. */
function convertLike(fallback: unknown, raw: string): unknown {
  if (typeof fallback === 'number') return raw.trim() === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
  if (typeof fallback === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}
