import { DEFAULT_LAG_THRESHOLD } from './deployed-app';
import { DEPLOY } from './deploy-settings';
import { K8sObject, appLabels } from './k8s-object';
import { Topology } from './topology.model';

/**
 * A ScaledObject per service with 'once' groups: one Kafka trigger per (group, topic) on the
 * exact group name, at most as many replicas as the group's topics have partitions (more would
 * idle). Broadcast groups are left out: every replica reads everything, so lag says nothing
 * about how many replicas are needed. KEDA reads lag with the service's own Kafka user
 * (TriggerAuthentication: the username from the pod's env, the password from its secret).
 */
export function scaledObjects(topology: Topology): K8sObject[] {
  const partitions = new Map(topology.topics.map((t) => [t.name, t.partitions]));
  return topology.services.flatMap((service) => {
    const once = service.groups.filter((g) => g.delivery === 'once');
    if (once.length === 0) return [];
    const pairs = once.flatMap((g) =>
      [...g.topics, ...(g.replayTopic ? [g.replayTopic] : [])].map((topic) => ({
        group: g.group,
        topic,
      })),
    );
    const maxReplicas = Math.min(...pairs.map((p) => partitions.get(p.topic) ?? 1));
    const name = service.app.name;
    const labels = appLabels(name, DEPLOY.partOf);
    return [
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'TriggerAuthentication',
        metadata: { name: `${name}-kafka`, labels },
        spec: {
          env: [{ parameter: 'username', name: 'KAFKA_SASL_USERNAME', containerName: name }],
          secretTargetRef: [{ parameter: 'password', name: service.name, key: 'password' }],
        },
      },
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicaCount: 2,
          maxReplicaCount: maxReplicas,
          pollingInterval: 15,
          cooldownPeriod: 300,
          triggers: pairs.map(({ group, topic }) => ({
            type: 'kafka',
            name: `${group}-${topic}`.replace(/[^a-z0-9-]+/g, '-').slice(0, 63),
            authenticationRef: { name: `${name}-kafka` },
            metadata: {
              // The brokers the pod itself is given (troupe-platform), so overlays change one place.
              bootstrapServersFromEnv: 'KAFKA_BROKERS',
              consumerGroup: group,
              topic,
              lagThreshold: String(service.app.lagThreshold ?? DEFAULT_LAG_THRESHOLD),
              offsetResetPolicy: 'earliest',
              allowIdleConsumers: 'false',
              sasl: 'scram_sha512',
            },
          })),
        },
      },
    ];
  });
}

/** The Deployments KEDA scales: their `replicas` is dropped so that `kubectl apply` does not fight the HPA. */
export function scaledDeployments(topology: Topology): string[] {
  return topology.services
    .filter((s) => s.groups.some((g) => g.delivery === 'once'))
    .map((s) => s.app.name);
}
