import { aclsOf } from './kafka-acls';
import { DEPLOY, TOPICS } from './deploy-settings';
import { K8sObject, resourceName } from './k8s-object';
import { Topology } from './topology.model';

const API_VERSION = 'kafka.strimzi.io/v1';

/** A KafkaTopic per planned topic: partitions, replicas and retention set on purpose. */
export function kafkaTopics(topology: Topology): K8sObject[] {
  return topology.topics.map((topic) => ({
    apiVersion: API_VERSION,
    kind: 'KafkaTopic',
    metadata: {
      name: resourceName(topic.name),
      labels: {
        'strimzi.io/cluster': DEPLOY.kafkaCluster,
        'app.kubernetes.io/part-of': DEPLOY.partOf,
        'troupe.dev/topic-kind': topic.kind,
      },
    },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      replicas: TOPICS.replicas,
      config: {
        'cleanup.policy': 'delete',
        'retention.ms': topic.retentionMs,
        'segment.ms': TOPICS.segmentMs,
        'min.insync.replicas': TOPICS.minInSyncReplicas,
      },
    },
  }));
}

/**
 * A KafkaUser per service that touches Kafka: SCRAM-SHA-512 (the User Operator writes its
 * password to a Secret of the same name) and simple authorization with exactly the ACLs the
 * service's declarations need. A service without Kafka access (checkout) gets no user.
 */
export function kafkaUsers(topology: Topology): K8sObject[] {
  return topology.services.flatMap((service) => {
    const acls = aclsOf(service, topology);
    if (acls.length === 0) return [];
    return [
      {
        apiVersion: API_VERSION,
        kind: 'KafkaUser',
        metadata: {
          name: service.name,
          labels: {
            'strimzi.io/cluster': DEPLOY.kafkaCluster,
            'app.kubernetes.io/name': service.app.name,
            'app.kubernetes.io/part-of': DEPLOY.partOf,
          },
        },
        spec: {
          authentication: { type: 'scram-sha-512' },
          authorization: {
            type: 'simple',
            acls: acls.map((rule) => ({
              type: 'allow',
              resource:
                rule.resource.type === 'cluster'
                  ? { type: 'cluster' }
                  : {
                      type: rule.resource.type,
                      name: rule.resource.name,
                      patternType: rule.resource.patternType,
                    },
              operations: [...rule.operations],
              host: '*',
            })),
          },
        },
      },
    ];
  });
}

/** Whether a service has a Kafka user (and so mounts its secret). */
export function hasKafkaUser(topology: Topology, service: string): boolean {
  const planned = topology.services.find((s) => s.name === service);
  return planned !== undefined && aclsOf(planned, topology).length > 0;
}
