import { DEFAULT_RESOURCES, DEFAULT_SHUTDOWN_TIMEOUT_MS, DeployedApp } from './deployed-app';
import { DEPLOY } from './deploy-settings';
import { K8sObject, appLabels } from './k8s-object';
import { hasKafkaUser } from './strimzi.renderer';
import { Topology } from './topology.model';

/** Seconds the pod's preStop waits, so endpoints drop it before SIGTERM reaches the app. */
const PRE_STOP_SECONDS = 5;

/** The built entry point of an app in the image (what the Dockerfile's build stage writes). */
export const entryPointOf = (app: string): string => `dist/apps/${app}/main.js`;

/**
 * One app's objects: its ConfigMap, Deployment, Service, PodDisruptionBudget and NetworkPolicy.
 * Secrets are referenced, never written: `<app>-database` (key `url`, the app's own login) and
 * the Secret the Strimzi User Operator creates for the app's KafkaUser (key `password`).
 * Liveness asks only whether the process answers (/health/live), never Kafka, the database or
 * the registry: a broker outage must not restart every pod. Readiness (/health/ready) is where
 * those count.
 */
export function appManifests(
  app: DeployedApp,
  topology: Topology,
  apps: readonly DeployedApp[],
): K8sObject[] {
  const labels = appLabels(app.name, DEPLOY.partOf);
  return [
    configMap(app, labels),
    deployment(app, topology, labels),
    service(app, labels),
    disruptionBudget(app, labels),
    networkPolicy(app, apps, labels),
  ];
}

function configMap(app: DeployedApp, labels: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${app.name}-config`, labels },
    data: { PORT: String(DEPLOY.httpPort), ...app.config },
  };
}

function deployment(
  app: DeployedApp,
  topology: Topology,
  labels: Record<string, string>,
): K8sObject {
  const kafkaUser = hasKafkaUser(topology, app.topology.service);
  const env: unknown[] = [
    { name: 'TROUPE_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  if (app.database)
    env.push({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: `${app.name}-database`, key: 'url' } },
    });
  if (kafkaUser)
    env.push(
      { name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' },
      { name: 'KAFKA_SASL_USERNAME', value: app.topology.service },
      { name: 'KAFKA_SASL_PASSWORD_FILE', value: `${DEPLOY.kafkaSecretDir}/password` },
    );
  const volumes: unknown[] = [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }];
  const mounts: unknown[] = [{ name: 'tmp', mountPath: '/tmp' }];
  if (kafkaUser) {
    volumes.push({
      name: 'kafka-credentials',
      secret: { secretName: app.topology.service, items: [{ key: 'password', path: 'password' }] },
    });
    mounts.push({ name: 'kafka-credentials', mountPath: DEPLOY.kafkaSecretDir, readOnly: true });
  }
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  const shutdownS = Math.ceil((app.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) / 1000);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app.name, labels },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          // The app's own shutdown bound, the preStop pause, and room for the database to close.
          terminationGracePeriodSeconds: shutdownS + PRE_STOP_SECONDS + 10,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(
            (topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labels },
            }),
          ),
          containers: [
            {
              name: app.name,
              image: DEPLOY.image,
              imagePullPolicy: 'IfNotPresent',
              args: [entryPointOf(app.name)],
              ports: [{ name: 'http', containerPort: DEPLOY.httpPort, protocol: 'TCP' }],
              envFrom: [
                { configMapRef: { name: 'troupe-platform' } },
                { configMapRef: { name: `${app.name}-config` } },
              ],
              env,
              resources: app.resources ?? DEFAULT_RESOURCES,
              startupProbe: probe('/health/live', 2, 30),
              readinessProbe: probe('/health/ready', 5, 3),
              livenessProbe: probe('/health/live', 10, 3),
              lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

function service(app: DeployedApp, labels: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app.name, labels },
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: [{ name: 'http', port: DEPLOY.servicePort, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function disruptionBudget(app: DeployedApp, labels: Record<string, string>): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app.name, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
}

/**
 * Ingress: Prometheus, the apps that call this one, and the ingress controller for public apps.
 * Egress: DNS, Kafka, the registry, PostgreSQL for apps with a database, and the apps it calls.
 * Everything else is denied by the namespace's default-deny policy.
 */
function networkPolicy(
  app: DeployedApp,
  apps: readonly DeployedApp[],
  labels: Record<string, string>,
): K8sObject {
  const http = [{ protocol: 'TCP', port: 'http' }];
  const fromNamespace = (name: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
  });
  const pod = (name: string) => ({ podSelector: { matchLabels: appLabels(name, DEPLOY.partOf) } });
  const callers = apps
    .filter((other) => other.calls?.includes(app.name))
    .map((other) => pod(other.name));
  const ingress = [
    { from: [fromNamespace(DEPLOY.monitoringNamespace)], ports: http },
    ...(callers.length > 0 ? [{ from: callers, ports: http }] : []),
    ...(app.public ? [{ from: [fromNamespace(DEPLOY.ingressNamespace)], ports: http }] : []),
  ];
  const { egressPorts } = DEPLOY;
  const tcp = (port: number) => ({ protocol: 'TCP', port });
  const egress = [
    { ports: [{ protocol: 'UDP', port: egressPorts.dns }, tcp(egressPorts.dns)] },
    { ports: [...egressPorts.kafka.map(tcp), tcp(egressPorts.registry)] },
    ...(app.database ? [{ ports: [tcp(egressPorts.postgres)] }] : []),
    ...(app.calls?.length ? [{ to: app.calls.map(pod), ports: [tcp(DEPLOY.httpPort)] }] : []),
  ];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: app.name, labels },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  };
}
