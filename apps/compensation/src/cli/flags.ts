import { CliFailure, EXIT } from './exit-codes';

/** A flag a verb takes: `value` ones take the next argument (repeatable when `many`). */
export interface FlagSpec {
  value?: boolean;
  many?: boolean;
}

export interface ParsedFlags {
  values: Record<string, string[]>;
  switches: Set<string>;
  positionals: string[];
}

/** `--name value`, `--name=value` and `--switch`; an unknown flag or a missing value is bad usage. */
export function parseFlags(args: readonly string[], spec: Record<string, FlagSpec>): ParsedFlags {
  const parsed: ParsedFlags = { values: {}, switches: new Set(), positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      parsed.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const flag = spec[name];
    if (!flag) throw new CliFailure(`unknown option --${name} (see --help)`, EXIT.usage);
    if (!flag.value) {
      parsed.switches.add(name);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new CliFailure(`--${name} needs a value`, EXIT.usage);
    if (!flag.many && parsed.values[name]) throw new CliFailure(`--${name} given twice`, EXIT.usage);
    (parsed.values[name] ??= []).push(value);
  }
  return parsed;
}

/** A time given as ISO 8601 or relative to now: `-90m`, `-2h`, `-1d`, `now`. */
export function parseTime(flag: string, value: string, now = Date.now()): string {
  if (value === 'now') return new Date(now).toISOString();
  const relative = /^-(\d+)(s|m|h|d)$/.exec(value);
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit).toISOString();
  }
  const parsed = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed))
    throw new CliFailure(`--${flag} must be an ISO 8601 time (2026-12-01T10:00:00Z) or relative (-2h), got "${value}"`, EXIT.usage);
  return new Date(parsed).toISOString();
}

export function parsePositiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new CliFailure(`--${flag} must be a positive whole number, got "${value}"`, EXIT.usage);
  return Number(value);
}
