import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  ResourcePatternTypes,
} from 'kafkajs';
import { AclOperation, AclRule, aclsOf } from '../../../scripts/topology/kafka-acls';
import { Topology } from '../../../scripts/topology/topology.model';

const OPERATION: Record<AclOperation, AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Describe: AclOperationTypes.DESCRIBE,
  IdempotentWrite: AclOperationTypes.IDEMPOTENT_WRITE,
  DescribeConfigs: AclOperationTypes.DESCRIBE_CONFIGS,
  Create: AclOperationTypes.CREATE,
  Delete: AclOperationTypes.DELETE,
  All: AclOperationTypes.ALL,
};
const RESOURCE = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
} as const;

/**
 * Applies the ACLs the generator writes into each KafkaUser, as the Strimzi User Operator does
 * (allow rules for `User:<service>` on any host), and creates every planned topic with its
 * partitions and retention, as the Topic Operator does. Returns the rules applied per service.
 */
export async function applyTopology(
  admin: Admin,
  topology: Topology,
): Promise<Map<string, AclRule[]>> {
  const applied = new Map<string, AclRule[]>();
  const acl = [];
  for (const service of topology.services) {
    const rules = aclsOf(service, topology);
    if (rules.length === 0) continue;
    applied.set(service.name, rules);
    for (const rule of rules)
      for (const operation of rule.operations)
        acl.push({
          resourceType: RESOURCE[rule.resource.type],
          resourceName: rule.resource.type === 'cluster' ? 'kafka-cluster' : rule.resource.name,
          resourcePatternType:
            rule.resource.patternType === 'prefix'
              ? ResourcePatternTypes.PREFIXED
              : ResourcePatternTypes.LITERAL,
          principal: `User:${service.name}`,
          host: '*',
          operation: OPERATION[operation],
          permissionType: AclPermissionTypes.ALLOW,
        });
  }
  await admin.createAcls({ acl });
  await admin.createTopics({
    waitForLeaders: true,
    topics: topology.topics.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
    })),
  });
  return applied;
}
