/**
 * `npm run alerts:test`: checks every rule file in infra/prometheus/rules, runs every promtool
 * test in infra/prometheus/tests, and fails when an alert has no test that makes it fire.
 * Installs Debian's prometheus package first when promtool is missing (and says so).
 */
import { ensurePrometheus, isUnavailable } from './prometheus-binaries';
import { runPromtool, ruleFiles, ruleTestFiles, untestedAlerts } from './prometheus-rules';

const binaries = ensurePrometheus();
if (isUnavailable(binaries)) {
  console.error(`alerts:test: ${binaries.unavailable}`);
  process.exit(1);
}
console.log(
  `promtool of Prometheus ${binaries.version}: ${ruleFiles().length} rule file(s), ${ruleTestFiles().length} test file(s)`,
);
const result = runPromtool(binaries);
for (const run of result.runs) console.log(`$ ${run.command}\n${run.output}\n`);
const untested = untestedAlerts();
if (untested.length > 0)
  console.error(`alerts without a promtool test that fires them: ${untested.join(', ')}`);
process.exit(result.ok && untested.length === 0 ? 0 : 1);
