import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { appManifests } from './app-manifests.renderer';
import { asyncApiDocument } from './asyncapi.renderer';
import { DeployedApp } from './deployed-app';
import { GENERATED_HEADER } from './deploy-settings';
import { K8sObject } from './k8s-object';
import { scaledDeployments, scaledObjects } from './keda.renderer';
import { MonitoringSources, monitoringObjects, platformObjects } from './platform.renderer';
import { kafkaTopics, kafkaUsers } from './strimzi.renderer';
import { buildTopology } from './topology.model';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Folders the generator owns entirely (a file there it does not write is stale), and its one file outside them. */
export const GENERATED_DIRS = ['k8s/base/generated', 'k8s/components/autoscaling'] as const;
export const ASYNCAPI_FILE = 'docs/asyncapi.yaml';

export const DEFAULT_MONITORING_SOURCES: MonitoringSources = {
  rulesDir: path.join(REPO_ROOT, 'infra', 'prometheus', 'rules'),
  dashboardsDir: path.join(REPO_ROOT, 'infra', 'grafana', 'dashboards'),
};

/** Every generated file, by path relative to the repository root. */
export function buildTopologyFiles(
  apps: readonly DeployedApp[],
  monitoring: MonitoringSources = DEFAULT_MONITORING_SOURCES,
): Map<string, string> {
  const topology = buildTopology(apps);
  const base = GENERATED_DIRS[0];
  const files = new Map<string, string>();
  const put = (file: string, objects: K8sObject[]) => files.set(file, yamlDocuments(objects));
  put(`${base}/platform.yaml`, platformObjects());
  put(`${base}/kafka-topics.yaml`, kafkaTopics(topology));
  put(`${base}/kafka-users.yaml`, kafkaUsers(topology));
  put(`${base}/monitoring.yaml`, monitoringObjects(monitoring));
  for (const app of apps) put(`${base}/apps/${app.name}.yaml`, appManifests(app, topology, apps));
  const resources = [...files.keys()].map((file) => path.posix.relative(base, file));
  files.set(
    `${base}/kustomization.yaml`,
    `${GENERATED_HEADER}\n${stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources })}`,
  );
  const scaling = GENERATED_DIRS[1];
  put(`${scaling}/scaled-objects.yaml`, scaledObjects(topology));
  const component = {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    resources: ['scaled-objects.yaml'],
    patches: scaledDeployments(topology).map((name) => ({
      target: { kind: 'Deployment', name },
      patch: stringify([{ op: 'remove', path: '/spec/replicas' }]),
    })),
  };
  files.set(
    `${scaling}/kustomization.yaml`,
    `${GENERATED_HEADER}\n${stringify(component, { lineWidth: 0, aliasDuplicateObjects: false })}`,
  );
  const version = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  files.set(
    ASYNCAPI_FILE,
    `${GENERATED_HEADER}\n${stringify(asyncApiDocument(topology, version), { lineWidth: 0, aliasDuplicateObjects: false })}`,
  );
  return files;
}

function yamlDocuments(objects: K8sObject[]): string {
  const body = objects
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
  return `${GENERATED_HEADER}\n${body}`;
}

/** How the files on disk differ from what the declarations produce. */
export function staleTopologyFiles(
  expected: ReadonlyMap<string, string>,
  root = REPO_ROOT,
): string[] {
  const problems: string[] = [];
  for (const [file, content] of expected) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) problems.push(`missing: ${file}`);
    else if (fs.readFileSync(full, 'utf8') !== content) problems.push(`stale:   ${file}`);
  }
  for (const dir of GENERATED_DIRS)
    for (const file of listFiles(path.join(root, dir)).map((f) => `${dir}/${f}`))
      if (!expected.has(file)) problems.push(`extra:   ${file}`);
  return problems;
}

/** Writes the files and removes what the generator no longer produces in its folders. */
export function writeTopologyFiles(files: ReadonlyMap<string, string>, root = REPO_ROOT): void {
  for (const dir of GENERATED_DIRS)
    for (const file of listFiles(path.join(root, dir)))
      if (!files.has(`${dir}/${file}`)) fs.rmSync(path.join(root, dir, file));
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}
