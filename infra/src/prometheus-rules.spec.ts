import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  alertNames,
  ruleFiles,
  ruleTestFiles,
  rulesWithShortFor,
  untestedAlerts,
} from './prometheus-rules';

describe('alert rules in the repository', () => {
  it('has rule files and promtool tests', () => {
    expect(ruleFiles().map((f) => path.basename(f))).toContain('troupe.rules.yml');
    expect(ruleTestFiles().length).toBeGreaterThan(0);
  });

  it('defines the alerts the platform promises', () => {
    expect(alertNames()).toEqual(
      expect.arrayContaining([
        'TroupeConsumerLagGrowing',
        'TroupeConsumerTimeLagHigh',
        'TroupeDeadLetters',
        'TroupeOutboxStale',
        'TroupeConsumerRestarting',
        'TroupeConsumerGroupNoMembers',
        'TroupeParkedEventsGrowing',
        'TroupeRelayNoLeader',
      ]),
    );
  });

  it('has a promtool test that makes every alert fire', () => {
    expect(untestedAlerts()).toEqual([]);
  });

  it('finds an alert nobody tests', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    fs.writeFileSync(
      path.join(dir, 'x.yml'),
      'groups:\n  - name: g\n    rules:\n      - alert: Lonely\n        expr: vector(1)\n',
    );
    expect(untestedAlerts([path.join(dir, 'x.yml')], ruleTestFiles())).toEqual(['Lonely']);
  });

  it('shortens every for: for live tests and keeps the expressions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    const [copy] = rulesWithShortFor(dir, '3s', [
      ruleFiles().find((f) => f.endsWith('troupe.rules.yml'))!,
    ]);
    const text = fs.readFileSync(copy, 'utf8');
    expect(text).not.toMatch(/for: \d+m/);
    expect(text).toMatch(/for: 3s/);
    expect(text).toContain('deriv(kafka_consumergroup_group_sum_lag[5m])');
  });
});
