import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DEPLOY, TOPICS } from './deploy-settings';
import { K8sObject } from './k8s-object';

const partOf = { 'app.kubernetes.io/part-of': DEPLOY.partOf };

/**
 * Settings every app shares (the apps' own ConfigMaps add theirs) and the namespace's
 * default-deny policy that each app's NetworkPolicy opens up from. Topics are declared by
 * KafkaTopics, so the apps create none (TOPIC_CREATE=false).
 */
export function platformObjects(): K8sObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'troupe-platform', labels: partOf },
      data: {
        KAFKA_BROKERS: DEPLOY.kafkaBootstrap,
        KAFKA_SSL: 'false',
        SCHEMA_REGISTRY_URL: DEPLOY.schemaRegistryUrl,
        TOPIC_CREATE: 'false',
        TOPIC_PARTITIONS: String(TOPICS.partitions),
        LOG_LEVEL: 'info',
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', labels: partOf },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

/** Where issue-11's alert rules and dashboards live; the generator takes whatever is there. */
export interface MonitoringSources {
  /** Prometheus rule files (`groups:`), *.yml / *.yaml. */
  rulesDir: string;
  /** Grafana dashboards, *.json. */
  dashboardsDir: string;
}

/**
 * A PodMonitor for every app's /metrics, one PrometheusRule with the groups of every rule file,
 * and one ConfigMap of every dashboard for Grafana's sidecar (label grafana_dashboard: "1").
 * No files is fine: the rule has no groups and the ConfigMap no data.
 */
export function monitoringObjects(sources: MonitoringSources): K8sObject[] {
  const groups = filesIn(sources.rulesDir, /\.ya?ml$/).flatMap((file) => {
    const content = parse(fs.readFileSync(file, 'utf8')) as { groups?: unknown[] } | null;
    if (!content || !Array.isArray(content.groups))
      throw new Error(`${file}: a Prometheus rule file needs a top-level "groups" list`);
    return content.groups;
  });
  const dashboards = Object.fromEntries(
    filesIn(sources.dashboardsDir, /\.json$/).map((file) => {
      const content = fs.readFileSync(file, 'utf8');
      JSON.parse(content); // a broken dashboard stops the generator, not Grafana
      return [path.basename(file), content];
    }),
  );
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'troupe-apps', labels: partOf },
      spec: {
        selector: { matchLabels: partOf },
        podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'troupe', labels: partOf },
      spec: { groups },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'troupe-dashboards', labels: { ...partOf, grafana_dashboard: '1' } },
      data: dashboards,
    },
  ];
}

function filesIn(dir: string, pattern: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}
