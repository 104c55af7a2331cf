import { PlannedService, Topology } from './topology.model';

export type AclOperation =
  'Read' | 'Write' | 'Describe' | 'IdempotentWrite' | 'DescribeConfigs' | 'Create' | 'Delete' | 'All';
export type AclResourceType = 'topic' | 'group' | 'cluster';

/** An allow rule for the service's own principal (`User:<service>`), any host. */
export interface AclRule {
  readonly resource: {
    readonly type: AclResourceType;
    readonly name: string;
    readonly patternType: 'literal' | 'prefix';
  };
  readonly operations: readonly AclOperation[];
}

/** Kafka's implications (AclEntry / AuthorizerUtils): Read, Write and All grant Describe. */
const IMPLIES: Readonly<Record<AclOperation, readonly AclOperation[]>> = {
  Read: ['Describe'],
  Write: ['Describe'],
  All: ['Read', 'Write', 'Describe', 'IdempotentWrite', 'DescribeConfigs', 'Create', 'Delete'],
  Delete: ['Describe'],
  Describe: [],
  IdempotentWrite: [],
  DescribeConfigs: [],
  Create: [],
};

/**
 * The least a service needs, from what it declares:
 * - its event topics and its groups' dead-letter topics: Write (Describe comes with it), and
 *   IdempotentWrite on the cluster for its idempotent producer;
 * - every topic its groups read, and each 'once' group's replay topic: Read (and, for 'once'
 *   groups, DescribeConfigs: the inbox-window check at start-up reads their retention);
 * - its 'once' groups by exact name, its broadcast groups by the prefix `<group>.` (each
 *   replica joins `<group>.<instance id>`): Read;
 * - platform access for platform roles (replay writers, dead-letter readers, lag exporters).
 */
export function aclsOf(service: PlannedService, topology: Topology): AclRule[] {
  const rules: AclRule[] = [];
  const topic = (name: string, ...operations: AclOperation[]) =>
    rules.push({ resource: { type: 'topic', name, patternType: 'literal' }, operations });
  const written = [...service.publishes, ...service.groups.map((g) => g.deadLetterTopic)];
  for (const name of written) topic(name, 'Write');
  for (const direct of service.directGroups) {
    for (const name of direct.topics) topic(name, 'Read');
    rules.push({ resource: { type: 'group', name: direct.group, patternType: 'literal' }, operations: ['Read'] });
  }
  for (const group of service.groups) {
    // DescribeConfigs: at start-up a service checks that the topics its 'once' groups read keep
    // no message longer than its inbox remembers (retention.ms + segment.ms).
    for (const name of [...group.topics, ...(group.replayTopic ? [group.replayTopic] : [])])
      topic(name, 'Read', ...(group.delivery === 'once' ? (['DescribeConfigs'] as const) : []));
    rules.push({
      resource:
        group.delivery === 'broadcast'
          ? { type: 'group', name: `${group.group}.`, patternType: 'prefix' }
          : { type: 'group', name: group.group, patternType: 'literal' },
      operations: ['Read'],
    });
  }
  const access = new Set(service.app.topology.platformAccess ?? []);
  if (access.has('write-replay-topics')) {
    for (const t of topology.topics.filter((t) => t.kind === 'replay')) topic(t.name, 'Write');
    // What it replays (and checks for gaps) it reads from the event topics.
    for (const t of topology.topics.filter((t) => t.kind === 'events')) topic(t.name, 'Read');
  }
  if (access.has('read-dead-letter-topics')) {
    for (const t of topology.topics.filter((t) => t.kind === 'dead-letter')) topic(t.name, 'Read');
    // Its own consumers of those topics: groups named after the service (its topic readers'
    // throwaway groups `<service>.reader.<uuid>`, deleted after each read).
    rules.push({
      resource: { type: 'group', name: service.name, patternType: 'prefix' },
      operations: ['Read', 'Delete'],
    });
  }
  if (access.has('describe-all')) {
    rules.push({
      resource: { type: 'topic', name: '*', patternType: 'literal' },
      operations: ['Describe'],
    });
    rules.push({
      resource: { type: 'group', name: '*', patternType: 'literal' },
      operations: ['Describe'],
    });
    rules.push({
      resource: { type: 'cluster', name: 'kafka-cluster', patternType: 'literal' },
      operations: ['Describe'],
    });
  }
  if (rules.some((r) => r.resource.type === 'topic' && r.operations.includes('Write')))
    rules.push({
      resource: { type: 'cluster', name: 'kafka-cluster', patternType: 'literal' },
      operations: ['IdempotentWrite'],
    });
  return merge(rules);
}

/** Whether the rules allow `operation` on the resource, with Kafka's matching and implications. */
export function aclAllows(
  rules: readonly AclRule[],
  type: AclResourceType,
  name: string,
  operation: AclOperation,
): boolean {
  return rules.some((rule) => {
    const { resource } = rule;
    if (resource.type !== type) return false;
    const matches =
      resource.patternType === 'prefix'
        ? name.startsWith(resource.name)
        : resource.name === '*' || resource.name === name || type === 'cluster';
    return (
      matches && rule.operations.some((op) => op === operation || IMPLIES[op].includes(operation))
    );
  });
}

/** One rule per resource, operations sorted, rules sorted: a stable order for generated files. */
function merge(rules: readonly AclRule[]): AclRule[] {
  const byResource = new Map<string, AclRule>();
  for (const rule of rules) {
    const key = `${rule.resource.type}|${rule.resource.patternType}|${rule.resource.name}`;
    const known = byResource.get(key);
    const operations = [...new Set([...(known?.operations ?? []), ...rule.operations])].sort();
    byResource.set(key, { resource: rule.resource, operations });
  }
  const order: Record<AclResourceType, number> = { topic: 0, group: 1, cluster: 2 };
  return [...byResource.values()].sort(
    (a, b) =>
      order[a.resource.type] - order[b.resource.type] ||
      a.resource.name.localeCompare(b.resource.name) ||
      a.resource.patternType.localeCompare(b.resource.patternType),
  );
}
