import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PrometheusBinaries } from './prometheus-binaries';
import { INFRA_ROOT } from './settings';

/** Alert rule files (every `*.yml` here is loaded by Prometheus and by the tests). */
export const RULES_DIR = path.join(INFRA_ROOT, 'prometheus', 'rules');
/** promtool unit tests: every `*.test.yml` here runs. */
export const RULE_TESTS_DIR = path.join(INFRA_ROOT, 'prometheus', 'tests');

const yamlFiles = (dir: string, suffix: string) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .sort()
        .map((f) => path.join(dir, f))
    : [];

export const ruleFiles = (dir = RULES_DIR) => yamlFiles(dir, '.yml');
export const ruleTestFiles = (dir = RULE_TESTS_DIR) => yamlFiles(dir, '.test.yml');

interface RuleFile {
  groups?: Array<{
    name: string;
    rules?: Array<{ alert?: string; record?: string; for?: string }>;
  }>;
}
interface RuleTestFile {
  tests?: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
}

/** Every alert defined in the rule files. */
export function alertNames(files = ruleFiles()): string[] {
  return files.flatMap((file) =>
    ((parse(fs.readFileSync(file, 'utf8')) as RuleFile).groups ?? []).flatMap((g) =>
      (g.rules ?? []).flatMap((r) => (r.alert ? [r.alert] : [])),
    ),
  );
}

/** Alerts with no promtool test that expects them to fire (each alert needs one). */
export function untestedAlerts(rules = ruleFiles(), tests = ruleTestFiles()): string[] {
  const fired = new Set(
    tests.flatMap((file) =>
      ((parse(fs.readFileSync(file, 'utf8')) as RuleTestFile).tests ?? []).flatMap((t) =>
        (t.alert_rule_test ?? [])
          .filter((a) => (a.exp_alerts ?? []).length > 0)
          .map((a) => a.alertname),
      ),
    ),
  );
  return alertNames(rules).filter((alert) => !fired.has(alert));
}

export interface PromtoolRun {
  ok: boolean;
  /** One entry per promtool call: its command line, exit status and output. */
  runs: Array<{ command: string; status: number | null; output: string }>;
}

/** `promtool check rules` on every rule file, then `promtool test rules` on every test file. */
export function runPromtool(
  binaries: Pick<PrometheusBinaries, 'promtool'>,
  rules = ruleFiles(),
  tests = ruleTestFiles(),
): PromtoolRun {
  const runs: PromtoolRun['runs'] = [];
  const run = (args: string[]) => {
    const result = spawnSync(binaries.promtool, args, { encoding: 'utf8' });
    runs.push({
      command: `promtool ${args.map((a) => path.relative(process.cwd(), a) || a).join(' ')}`,
      status: result.status,
      output: `${result.stdout}${result.stderr}`.trim(),
    });
  };
  if (rules.length > 0) run(['check', 'rules', ...rules]);
  if (tests.length > 0) run(['test', 'rules', ...tests]);
  return { ok: runs.length > 0 && runs.every((r) => r.status === 0), runs };
}

/**
 * The rule files with every `for:` replaced, for tests that watch alerts go pending and firing
 * on a real Prometheus within seconds; the expressions stay as they are. Returns the new paths.
 */
export function rulesWithShortFor(
  targetDir: string,
  forDuration: string,
  files = ruleFiles(),
): string[] {
  fs.mkdirSync(targetDir, { recursive: true });
  return files.map((file) => {
    const target = path.join(targetDir, path.basename(file));
    fs.writeFileSync(
      target,
      fs.readFileSync(file, 'utf8').replace(/^(\s+)for: .+$/gm, `$1for: ${forDuration}`),
    );
    return target;
  });
}
