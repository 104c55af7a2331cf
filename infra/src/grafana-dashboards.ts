import * as fs from 'node:fs';
import * as path from 'node:path';
import { INFRA_ROOT } from './settings';

/** Grafana dashboards as JSON: provisioned by docker-compose.kafka.yml, picked up by k8s/. */
export const DASHBOARDS_DIR = path.join(INFRA_ROOT, 'grafana', 'dashboards');

/** The dashboard JSON model version the files are written in (Grafana 12.3's, the final one of the v1 model). */
export const DASHBOARD_SCHEMA_VERSION = 42;

export interface DashboardTarget {
  refId: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
}

export function loadDashboards(
  dir = DASHBOARDS_DIR,
): Array<{ file: string; dashboard: Dashboard }> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      file: f,
      dashboard: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Dashboard,
    }));
}

/** Every query of every panel, with where it comes from. */
export function dashboardQueries(
  dir = DASHBOARDS_DIR,
): Array<{ dashboard: string; panel: string; refId: string; expr: string }> {
  return loadDashboards(dir).flatMap(({ dashboard }) =>
    dashboard.panels
      .filter((p) => p.type !== 'row')
      .flatMap((p) =>
        (p.targets ?? []).map((t) => ({
          dashboard: dashboard.title,
          panel: p.title,
          refId: t.refId,
          expr: t.expr,
        })),
      ),
  );
}

/**
 * A panel query as Grafana would send it: template variables replaced (`$name` and `${name}`),
 * `$__rate_interval`, `$__interval` and `$__range` replaced by the given windows.
 */
export function resolveQuery(
  expr: string,
  variables: Record<string, string>,
  windows = { rateInterval: '1m', interval: '15s', range: '1h' },
): string {
  const all: Record<string, string> = {
    __rate_interval: windows.rateInterval,
    __interval: windows.interval,
    __range: windows.range,
    ...variables,
  };
  return expr.replace(/\$\{?(\w+)\}?/g, (match, name: string) => all[name] ?? match);
}
