import { KAFKA_EXPORTER_METRIC, LAG_EXPORTER_METRIC, METRIC } from '@troupe/observability';
import {
  DASHBOARD_SCHEMA_VERSION,
  dashboardQueries,
  loadDashboards,
  resolveQuery,
} from './grafana-dashboards';

const known = new Set<string>([
  ...Object.values(METRIC),
  ...Object.values(KAFKA_EXPORTER_METRIC),
  ...Object.values(LAG_EXPORTER_METRIC),
]);
const dashboards = loadDashboards();

describe('Grafana dashboards', () => {
  it('are the three the platform promises, with unique uids', () => {
    expect(dashboards.map((d) => d.dashboard.uid).sort()).toEqual([
      'troupe-consumer-group',
      'troupe-outbox',
      'troupe-overview',
    ]);
  });

  it.each(dashboards.map((d) => [d.file, d.dashboard] as const))(
    '%s is in the current schema with the data source as a variable',
    (_file, dashboard) => {
      expect(dashboard.schemaVersion).toBe(DASHBOARD_SCHEMA_VERSION);
      expect(dashboard.templating.list.find((v) => v.name === 'datasource')).toMatchObject({
        type: 'datasource',
        query: 'prometheus',
      });
      for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
        expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({
          panel: panel.title,
          uid: '${datasource}',
        });
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? [])
          expect({ panel: panel.title, uid: target.datasource?.uid }).toEqual({
            panel: panel.title,
            uid: '${datasource}',
          });
      }
    },
  );

  it('hard-code no instance, job or service', () => {
    for (const { panel, expr } of dashboardQueries()) {
      expect({
        panel,
        expr,
        literal: /\b(instance|job|pod|namespace)\s*=~?\s*"/.test(expr),
      }).toEqual({ panel, expr, literal: false });
      expect({ panel, expr, literal: /\bservice\s*=~?\s*"(?!\$service")/.test(expr) }).toEqual({
        panel,
        expr,
        literal: false,
      });
      expect({ panel, expr, literal: /\d+\.\d+\.\d+\.\d+|localhost/.test(expr) }).toEqual({
        panel,
        expr,
        literal: false,
      });
    }
  });

  it('query only metrics Troupe exports', () => {
    for (const { panel, expr } of dashboardQueries()) {
      const names = expr.match(/\b(troupe|kafka)_[a-z_]+\b/g) ?? [];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect({ panel, name, known: known.has(name.replace(/_(bucket|sum|count)$/, '')) }).toEqual(
          { panel, name, known: true },
        );
    }
  });

  it('resolve template variables and Grafana intervals', () => {
    expect(
      resolveQuery('rate(x{group="$group",service=~"${service}"}[$__rate_interval])', {
        group: 'payments',
        service: '.*',
      }),
    ).toBe('rate(x{group="payments",service=~".*"}[1m])');
  });
});
