import { ServiceTopology } from '@troupe/messaging';
import { OrderPlaced, PaymentAuthorized } from '@troupe/schemas';
import { TOPICS } from './deploy-settings';
import { resolveTroupeOptions } from '../../libs/messaging/src/troupe.options';
import { DEPLOYED_APPS } from './app-catalog';
import { aclAllows, aclsOf } from './kafka-acls';
import { scaledDeployments, scaledObjects } from './keda.renderer';
import { kafkaUsers } from './strimzi.renderer';
import { buildTopology } from './topology.model';

const topology = buildTopology(DEPLOYED_APPS);
const service = (name: string) => topology.services.find((s) => s.name === name)!;

describe('the reference system topology', () => {
  it('plans exactly the event, dead-letter and replay topics the README describes', () => {
    expect(topology.topics.map((t) => `${t.kind}:${t.name}`)).toEqual([
      'dead-letter:inventory.dlq',
      'replay:inventory.replay',
      'events:inventory.stock.events',
      'dead-letter:notifications-feed.dlq',
      'dead-letter:notifications.dlq',
      'replay:notifications.replay',
      'dead-letter:orders.dlq',
      'events:orders.order.events',
      'replay:orders.replay',
      'dead-letter:payments.dlq',
      'events:payments.payment.events',
      'replay:payments.replay',
      'dead-letter:shipping.dlq',
      'replay:shipping.replay',
      'events:shipping.shipment.events',
      'events:tasks.task.events',
    ]);
  });

  it('reads the groups and deliveries from the @OnEvent metadata', () => {
    expect(service('notifications').groups.map((g) => [g.group, g.delivery, g.topics])).toEqual([
      [
        'notifications',
        'once',
        ['orders.order.events', 'payments.payment.events', 'shipping.shipment.events'],
      ],
      ['notifications-feed', 'broadcast', ['orders.order.events']],
    ]);
    expect(service('shipping').groups.map((g) => [g.group, g.topics, g.replayTopic])).toEqual([
      ['shipping', ['inventory.stock.events', 'payments.payment.events'], 'shipping.replay'],
    ]);
    expect(service('notifications-feed' as string)).toBeUndefined();
  });

  it('keeps no message a once group reads longer than its inbox recognises redeliveries', () => {
    const dedupWindowMs = resolveTroupeOptions({ service: 's', kafka: { brokers: ['k:1'] }, schemaRegistry: { url: 'http://r' } }).consumer.inboxRetentionMs;
    for (const topic of topology.topics.filter((t) => t.kind !== 'dead-letter'))
      expect([topic.name, topic.retentionMs + TOPICS.segmentMs <= dedupWindowMs]).toEqual([topic.name, true]);
  });
});

describe('ACLs from the declarations', () => {
  it('lets each service write its own topics and dead letters, and no other service write them', () => {
    for (const writer of topology.services) {
      const acls = aclsOf(writer, topology);
      for (const other of topology.services) {
        const topics = [...other.publishes, ...other.groups.map((g) => g.deadLetterTopic)];
        for (const topic of topics)
          expect([writer.name, topic, aclAllows(acls, 'topic', topic, 'Write')]).toEqual([
            writer.name,
            topic,
            other === writer,
          ]);
      }
    }
  });

  it('lets a service read what it consumes and join its own groups only', () => {
    const payments = aclsOf(service('payments'), topology);
    expect(aclAllows(payments, 'topic', 'orders.order.events', 'Read')).toBe(true);
    expect(aclAllows(payments, 'topic', 'payments.replay', 'Read')).toBe(true);
    expect(aclAllows(payments, 'topic', 'shipping.shipment.events', 'Read')).toBe(false);
    expect(aclAllows(payments, 'group', 'payments', 'Read')).toBe(true);
    expect(aclAllows(payments, 'group', 'orders', 'Read')).toBe(false);
    expect(aclAllows(payments, 'group', 'payments.x', 'Read')).toBe(false);
  });

  it('grants broadcast groups by prefix, for every instance id and nothing else', () => {
    const notifications = aclsOf(service('notifications'), topology);
    expect(aclAllows(notifications, 'group', 'notifications-feed.pod-7f9c', 'Read')).toBe(true);
    expect(aclAllows(notifications, 'group', 'notifications-feedx', 'Read')).toBe(false);
    expect(aclAllows(notifications, 'group', 'notifications', 'Read')).toBe(true);
  });

  it('includes idempotent write for services that write, and gives checkout no Kafka user', () => {
    expect(
      aclAllows(aclsOf(service('orders'), topology), 'cluster', 'kafka-cluster', 'IdempotentWrite'),
    ).toBe(true);
    expect(aclsOf(service('checkout'), topology)).toEqual([]);
    expect(kafkaUsers(topology).map((u) => u.metadata.name)).toEqual([
      'orders',
      'payments',
      'inventory',
      'shipping',
      'notifications',
      'tasks',
      'compensation',
    ]);
  });

  it('gives a platform role the replay and dead-letter access it declares', () => {
    const compensation: ServiceTopology = {
      service: 'compensation',
      publishes: [],
      handlers: [],
      platformAccess: ['write-replay-topics', 'read-dead-letter-topics', 'describe-all'],
    };
    const withRole = buildTopology([
      ...DEPLOYED_APPS,
      { name: 'compensation', topology: compensation, database: true },
    ]);
    const acls = aclsOf(
      withRole.services.find((s) => s.name === 'compensation')!,
      withRole,
    );
    for (const t of withRole.topics) {
      expect([t.name, aclAllows(acls, 'topic', t.name, 'Write')]).toEqual([
        t.name,
        t.kind === 'replay',
      ]);
      // It reads what it replays (event topics) and redrives (dead letters), never a replay topic.
      expect([t.name, aclAllows(acls, 'topic', t.name, 'Read')]).toEqual([
        t.name,
        t.kind === 'dead-letter' || t.kind === 'events',
      ]);
    }
    expect(aclAllows(acls, 'group', 'payments', 'Describe')).toBe(true);
    expect(aclAllows(acls, 'group', 'payments', 'Read')).toBe(false);
    // Its topic readers' throwaway groups, joined and deleted.
    expect(aclAllows(acls, 'group', 'compensation.reader.0190a3c2', 'Read')).toBe(true);
    expect(aclAllows(acls, 'group', 'compensation.reader.0190a3c2', 'Delete')).toBe(true);
    expect(aclAllows(acls, 'group', 'payments', 'Delete')).toBe(false);
  });
});

describe('buildTopology', () => {
  const app = (name: string, topology: Partial<ServiceTopology>) => ({
    name,
    database: false,
    topology: { service: name, publishes: [], handlers: [], ...topology },
  });

  it('refuses one topic published by two services', () => {
    expect(() =>
      buildTopology([
        app('a', { publishes: [OrderPlaced] }),
        app('b', { publishes: [OrderPlaced] }),
      ]),
    ).toThrow(/topic orders.order.events is published by both a and b/);
  });

  it('plans a topic that is published but read by no one', () => {
    const planned = buildTopology([app('a', { publishes: [PaymentAuthorized] })]);
    expect(planned.topics.map((t) => t.name)).toEqual(['payments.payment.events']);
  });
});

describe('KEDA', () => {
  it('scales on the exact once groups, never on broadcast groups, within the partitions', () => {
    const objects = scaledObjects(topology).filter((o) => o.kind === 'ScaledObject');
    const notifications = objects.find((o) => o.metadata.name === 'notifications')!;
    const triggers = (
      notifications.spec as {
        triggers: Array<{ metadata: { consumerGroup: string; topic: string } }>;
        maxReplicaCount: number;
      }
    ).triggers;
    expect(new Set(triggers.map((t) => t.metadata.consumerGroup))).toEqual(
      new Set(['notifications']),
    );
    expect(triggers.map((t) => t.metadata.topic).sort()).toEqual([
      'notifications.replay',
      'orders.order.events',
      'payments.payment.events',
      'shipping.shipment.events',
    ]);
    for (const object of objects)
      expect((object.spec as { maxReplicaCount: number }).maxReplicaCount).toBeLessThanOrEqual(6);
    expect(scaledDeployments(topology)).not.toContain('checkout');
  });
});
