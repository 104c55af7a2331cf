import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasEventHandlers } from '@troupe/messaging';
import { PLATFORM_APPS } from '../start/platform-apps';
import { applicationsOf } from '../build/nest-projects';
import { DEPLOYED_APPS } from './app-catalog';
import { REPO_ROOT, buildTopologyFiles, staleTopologyFiles } from './generated-topology.builder';
import { monitoringObjects } from './platform.renderer';

describe('generated topology files', () => {
  it('are what the apps declare now (run `npm run topology` when this fails)', () => {
    const problems = staleTopologyFiles(buildTopologyFiles(DEPLOYED_APPS));
    expect(problems).toEqual([]);
  });

  it('notice a hand edit, a missing file and a file no app produces', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-topology-'));
    try {
      const files = buildTopologyFiles(DEPLOYED_APPS);
      for (const [file, content] of files) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
      }
      expect(staleTopologyFiles(files, root)).toEqual([]);
      fs.appendFileSync(path.join(root, 'k8s/base/generated/kafka-users.yaml'), '# edited\n');
      fs.rmSync(path.join(root, 'docs/asyncapi.yaml'));
      fs.writeFileSync(path.join(root, 'k8s/base/generated/apps/gone.yaml'), '');
      expect(staleTopologyFiles(files, root).sort()).toEqual([
        'extra:   k8s/base/generated/apps/gone.yaml',
        'missing: docs/asyncapi.yaml',
        'stale:   k8s/base/generated/kafka-users.yaml',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the app catalog', () => {
  it('deploys every Nest application, and `npm start` starts the same apps', () => {
    const deployed = DEPLOYED_APPS.map((a) => a.name).sort();
    expect(deployed).toEqual(applicationsOf(REPO_ROOT).sort());
    expect(deployed).toEqual([...PLATFORM_APPS].sort());
  });

  it('declares every class of an app that carries @OnEvent, so none ships without its ACL', () => {
    for (const app of DEPLOYED_APPS) {
      const dir = path.join(REPO_ROOT, 'apps', app.name, 'src');
      for (const file of sourceFiles(dir)) {
        const exported = require(file) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
        for (const [name, value] of Object.entries(exported)) {
          if (typeof value !== 'function' || !hasEventHandlers(value as never)) continue;
          expect([app.name, name, app.topology.handlers.includes(value as never)]).toEqual([
            app.name,
            name,
            true,
          ]);
        }
      }
    }
  });
});

describe('monitoring objects', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-monitoring-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('work with no rule or dashboard files at all', () => {
    const [, rule, dashboards] = monitoringObjects({
      rulesDir: path.join(dir, 'none'),
      dashboardsDir: path.join(dir, 'none'),
    });
    expect(rule.spec).toEqual({ groups: [] });
    expect(dashboards.data).toEqual({});
    expect(dashboards.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
  });

  it('carry every rule group and every dashboard there is', () => {
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.mkdirSync(path.join(dir, 'dashboards'));
    fs.writeFileSync(
      path.join(dir, 'rules', 'a.yml'),
      'groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n',
    );
    fs.writeFileSync(path.join(dir, 'rules', 'b.yaml'), 'groups:\n  - name: b\n    rules: []\n');
    fs.writeFileSync(path.join(dir, 'dashboards', 'flow.json'), '{"title":"flow"}');
    const [, rule, dashboards] = monitoringObjects({
      rulesDir: path.join(dir, 'rules'),
      dashboardsDir: path.join(dir, 'dashboards'),
    });
    expect((rule.spec as { groups: Array<{ name: string }> }).groups.map((g) => g.name)).toEqual([
      'a',
      'b',
    ]);
    expect(dashboards.data).toEqual({ 'flow.json': '{"title":"flow"}' });
  });

  it('refuse a rule file without groups', () => {
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'x.yml'), 'rules: []\n');
    expect(() =>
      monitoringObjects({ rulesDir: path.join(dir, 'bad'), dashboardsDir: dir }),
    ).toThrow(/x.yml: a Prometheus rule file needs a top-level "groups" list/);
  });
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.spec.ts') &&
      entry.name !== 'main.ts'
      ? [full]
      : [];
  });
}
