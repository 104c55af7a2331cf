import { ensurePrometheus, isUnavailable } from '../../infra/src/prometheus-binaries';
import { ruleFiles, ruleTestFiles, runPromtool } from '../../infra/src/prometheus-rules';

const binaries = ensurePrometheus();
const withPromtool = isUnavailable(binaries) ? describe.skip : describe;
if (isUnavailable(binaries))
  process.stdout.write(`alert rules: SKIPPED: ${binaries.unavailable}\n`);

/** The runner behind `npm run alerts:test`: every rule file checked, every test file run, with the real promtool. */
withPromtool('alert rules (promtool)', () => {
  it('checks every rule file and passes every promtool test in infra/prometheus/tests', () => {
    const result = runPromtool(binaries as Exclude<typeof binaries, { unavailable: string }>);
    expect(result.runs.map((r) => r.command.split(' ').slice(0, 3).join(' '))).toEqual([
      'promtool check rules',
      'promtool test rules',
    ]);
    expect(result.runs.filter((r) => r.status !== 0)).toEqual([]);
    expect(ruleFiles().length + ruleTestFiles().length).toBeGreaterThan(1);
  });
});
