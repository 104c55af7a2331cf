import { topicNames } from '@troupe/schemas';
import { resolveTroupeOptions } from '../../libs/messaging/src/troupe.options';
import { DEPLOYED_APPS } from '../../scripts/topology/app-catalog';
import { AclRule, aclAllows } from '../../scripts/topology/kafka-acls';
import { buildTopology } from '../../scripts/topology/topology.model';
import { validateBuiltInKinds } from '../support/k8s/built-in-kinds.validator';
import { CrdSchemas } from '../support/k8s/crd-schemas';
import {
  Manifest,
  OVERLAYS,
  Overlay,
  isBuiltIn,
  renderOverlay,
} from '../support/k8s/rendered-manifests';

/**
 * The manifests as `kubectl apply -k k8s/overlays/<env>` would send them, checked without a
 * cluster: every object against its real schema (built-in kinds: the official Kubernetes Java
 * client's models; Strimzi, KEDA and Prometheus Operator kinds: their CRDs' openAPIV3Schema),
 * then against each other and against the topology the code declares.
 */
const rendered = new Map<Overlay, Manifest[]>(
  OVERLAYS.map((overlay) => [overlay, renderOverlay(overlay)]),
);
const topology = buildTopology(DEPLOYED_APPS);
const crds = new CrdSchemas();
const of = (objects: Manifest[], kind: string) => objects.filter((o) => o.kind === kind);
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const objects = rendered.get(overlay)!;
  const deployments = of(objects, 'Deployment');

  it('renders every app, and every object is valid against its schema', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
      DEPLOYED_APPS.map((a) => a.name).sort(),
    );
    const builtIn = objects.filter(isBuiltIn);
    const results = validateBuiltInKinds(builtIn);
    expect(results).toHaveLength(builtIn.length);
    expect(results.filter((r) => r.error)).toEqual([]);
    const custom = objects.filter((o) => !isBuiltIn(o));
    expect(new Set(custom.map((o) => o.kind))).toEqual(
      new Set([
        'KafkaTopic',
        'KafkaUser',
        'PodMonitor',
        'PrometheusRule',
        ...(overlay === 'dev' ? [] : ['ScaledObject', 'TriggerAuthentication']),
      ]),
    );
    expect(
      custom
        .map((o) => [o.kind, o.metadata.name, crds.validate(o)])
        .filter(([, , errors]) => (errors as string[]).length > 0),
    ).toEqual([]);
  });

  it('stores no secret, and every object is in one namespace', () => {
    expect(of(objects, 'Secret')).toEqual([]);
    const namespace = overlay === 'external' ? 'troupe-external' : 'troupe';
    expect(of(objects, 'Namespace').map((n) => n.metadata.name)).toEqual([namespace]);
    for (const o of objects.filter((o) => o.kind !== 'Namespace'))
      expect([o.kind, o.metadata.name, o.metadata.namespace]).toEqual([
        o.kind,
        o.metadata.name,
        namespace,
      ]);
  });

  it('has selectors that match the pods, probes on ports that exist, and a grace period above the shutdown bound', () => {
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      const pod = deployment.spec.template;
      expect(matches(deployment.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
      for (const kind of ['Service', 'PodDisruptionBudget', 'NetworkPolicy']) {
        const object = of(objects, kind).find((o) => o.metadata.name === name)!;
        const selector =
          kind === 'Service'
            ? object.spec.selector
            : kind === 'NetworkPolicy'
              ? object.spec.podSelector.matchLabels
              : object.spec.selector.matchLabels;
        expect([kind, name, matches(selector, pod.metadata.labels)]).toEqual([kind, name, true]);
      }
      const [container] = pod.spec.containers;
      const ports = new Set(container.ports.map((p: { name: string }) => p.name));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
        expect([name, probe, ports.has(container[probe].httpGet.port)]).toEqual([
          name,
          probe,
          true,
        ]);
      // Liveness never depends on Kafka, the database or the registry; readiness does.
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      const service = of(objects, 'Service').find((o) => o.metadata.name === name)!;
      expect(ports.has(service.spec.ports[0].targetPort)).toBe(true);
      expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(
        (DEPLOYED_APPS.find((a) => a.name === name)!.shutdownTimeoutMs ?? 25_000) / 1000,
      );
      expect(container.args).toEqual([`dist/apps/${name}/main.js`]);
    }
    for (const monitor of of(objects, 'PodMonitor'))
      for (const d of deployments)
        expect(matches(monitor.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(
          true,
        );
  });

  it("gives each service's pods its own Kafka user, whose ACLs cover every topic and group the code uses", () => {
    const topics = new Map(of(objects, 'KafkaTopic').map((t) => [t.spec.topicName as string, t]));
    const users = new Map(of(objects, 'KafkaUser').map((u) => [u.metadata.name, u]));
    const cluster = overlay === 'external' ? 'external' : 'troupe';
    for (const o of [...topics.values(), ...users.values()])
      expect(o.metadata.labels?.['strimzi.io/cluster']).toBe(cluster);
    expect([...topics.keys()].sort()).toEqual(topology.topics.map((t) => t.name));
    for (const service of topology.services) {
      const deployment = deployments.find((d) => d.metadata.name === service.app.name)!;
      const container = deployment.spec.template.spec.containers[0];
      const env = new Map(
        container.env.map((e: { name: string; value?: string }) => [e.name, e.value]),
      );
      const used = [
        ...service.publishes,
        ...service.groups.flatMap((g) => [
          ...g.topics,
          g.deadLetterTopic,
          ...(g.replayTopic ? [g.replayTopic] : []),
        ]),
      ];
      if (used.length === 0 && !(service.app.topology.platformAccess ?? []).length) {
        expect([service.name, env.has('KAFKA_SASL_USERNAME'), users.has(service.name)]).toEqual([
          service.name,
          false,
          false,
        ]);
        continue;
      }
      const username = env.get('KAFKA_SASL_USERNAME') as string;
      expect([service.name, username, env.get('KAFKA_SASL_MECHANISM')]).toEqual([
        service.name,
        service.name,
        'scram-sha-512',
      ]);
      const secretVolume = deployment.spec.template.spec.volumes.find(
        (v: { secret?: { secretName: string } }) => v.secret?.secretName === username,
      );
      expect(secretVolume).toBeDefined();
      const acls = users
        .get(username)!
        .spec.authorization.acls.map(
          (a: {
            resource: { type: string; name?: string; patternType?: string };
            operations: string[];
          }): AclRule =>
            ({
              resource: {
                type: a.resource.type,
                name: a.resource.name ?? 'kafka-cluster',
                patternType: a.resource.patternType ?? 'literal',
              },
              operations: a.operations,
            }) as AclRule,
        );
      for (const topic of used)
        expect([service.name, topic, topics.has(topic)]).toEqual([service.name, topic, true]);
      for (const topic of service.publishes)
        expect([service.name, 'Write', topic, aclAllows(acls, 'topic', topic, 'Write')]).toEqual([
          service.name,
          'Write',
          topic,
          true,
        ]);
      for (const group of service.groups) {
        expect(aclAllows(acls, 'topic', group.deadLetterTopic, 'Write')).toBe(true);
        for (const topic of [...group.topics, ...(group.replayTopic ? [group.replayTopic] : [])])
          expect([group.group, topic, aclAllows(acls, 'topic', topic, 'Read')]).toEqual([
            group.group,
            topic,
            true,
          ]);
        const groupId =
          group.delivery === 'broadcast'
            ? `${group.group}.${deployment.metadata.name}-5d8f7c9b4-x2k8p`
            : group.group;
        expect([groupId, aclAllows(acls, 'group', groupId, 'Read')]).toEqual([groupId, true]);
      }
      expect(aclAllows(acls, 'cluster', 'kafka-cluster', 'IdempotentWrite')).toBe(
        service.publishes.length > 0 ||
          service.groups.length > 0 ||
          (service.app.topology.platformAccess ?? []).includes('write-replay-topics'),
      );
    }
  });

  it('keeps no consumed message longer than the inbox dedup window (retention + segment), on purpose-set partitions', () => {
    const dedupWindowMs = resolveTroupeOptions({ service: 's', kafka: { brokers: ['k:1'] }, schemaRegistry: { url: 'http://r' } }).consumer.inboxRetentionMs;
    for (const topic of of(objects, 'KafkaTopic')) {
      expect([
        topic.spec.topicName,
        topic.metadata.labels?.['troupe.dev/topic-kind'] === 'dead-letter' ||
          Number(topic.spec.config['retention.ms']) + Number(topic.spec.config['segment.ms']) <= dedupWindowMs,
      ]).toEqual([topic.spec.topicName, true]);
      expect(topic.spec.partitions).toBeGreaterThanOrEqual(1);
      expect(topic.spec.replicas).toBe(overlay === 'dev' ? 1 : 3);
    }
  });

  if (overlay !== 'dev') {
    it("scales each consuming service on its exact 'once' groups, never beyond the partitions", () => {
      const partitions = new Map(
        of(objects, 'KafkaTopic').map((t) => [
          t.spec.topicName as string,
          t.spec.partitions as number,
        ]),
      );
      const auths = new Set(of(objects, 'TriggerAuthentication').map((t) => t.metadata.name));
      const scaled = of(objects, 'ScaledObject');
      for (const service of topology.services) {
        const once = service.groups.filter((g) => g.delivery === 'once');
        const object = scaled.find((s) => s.spec.scaleTargetRef.name === service.app.name);
        if (once.length === 0) {
          expect(object).toBeUndefined();
          continue;
        }
        expect(
          deployments.find((d) => d.metadata.name === service.app.name)!.spec.replicas,
        ).toBeUndefined();
        const triggers = object!.spec.triggers as Array<{
          authenticationRef: { name: string };
          metadata: Record<string, string>;
        }>;
        const expected = once
          .flatMap((g) => [...g.topics, topicNames.replay(g.group)].map((t) => `${g.group}|${t}`))
          .sort();
        expect(
          triggers.map((t) => `${t.metadata.consumerGroup}|${t.metadata.topic}`).sort(),
        ).toEqual(expected);
        for (const t of triggers) {
          expect(auths.has(t.authenticationRef.name)).toBe(true);
          expect(object!.spec.maxReplicaCount).toBeLessThanOrEqual(
            partitions.get(t.metadata.topic)!,
          );
        }
      }
    });
  }
});

describe('the validators', () => {
  const prod = rendered.get('prod')!;
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  it('report an unknown field, a missing required field and a wrong type in built-in kinds', () => {
    const unknownField = copy(of(prod, 'Deployment')[0]);
    unknownField.spec.template.spec.containers[0].livenesProbe =
      unknownField.spec.template.spec.containers[0].livenessProbe;
    const missingSelector = copy(of(prod, 'Deployment')[0]);
    delete missingSelector.spec.selector;
    const wrongType = copy(of(prod, 'Service')[0]);
    wrongType.spec.ports[0].port = 'eighty';
    const results = validateBuiltInKinds([unknownField, missingSelector, wrongType]);
    expect(results[0].error).toMatch(/livenesProbe/);
    expect(results[1].error).toMatch(/selector/);
    expect(results[2].error).toMatch(/eighty|NumberFormat|Expected an int/i);
  });

  it('report an unknown field, a bad enum value and a wrong type in custom resources', () => {
    const user = copy(of(prod, 'KafkaUser')[0]);
    user.spec.authorization.acls[0].operations = ['Scribble'];
    const topic = copy(of(prod, 'KafkaTopic')[0]);
    topic.spec.partitions = 'six';
    topic.spec.retention = '7d';
    expect(crds.validate(user).join('\n')).toMatch(
      /operations\/0 must be equal to one of the allowed values/,
    );
    const errors = crds.validate(topic).join('\n');
    expect(errors).toMatch(/\/spec\/partitions must be integer/);
    expect(errors).toMatch(/must NOT have additional properties: retention/);
  });
});
