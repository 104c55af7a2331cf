import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  KafkajsTransport,
  PartitionBatch,
  PlatformEnv,
  Subscription,
  loadConfig,
} from '@troupe/messaging';
import { topicNames } from '@troupe/schemas';
import { Admin } from 'kafkajs';
import { DEPLOYED_APPS } from '../../scripts/topology/app-catalog';
import { aclsOf } from '../../scripts/topology/kafka-acls';
import { buildTopology } from '../../scripts/topology/topology.model';
import { SecureKafkaBroker } from '../support/secure-kafka/secure-kafka.broker';
import { applyTopology } from '../support/secure-kafka/topology-acls';

/**
 * Kafka security as deployed, on a real broker: SCRAM-SHA-512 users and the ACLs the topology
 * generator writes into the KafkaUsers, enforced by Kafka's standard authorizer. Each service
 * connects through Troupe's own transport with its own credentials.
 */
const topology = buildTopology(DEPLOYED_APPS);
const users = topology.services.filter((s) => aclsOf(s, topology).length > 0).map((s) => s.name);
const broker = new SecureKafkaBroker();
let admin: Admin;
const open: Array<{ close(): Promise<void> }> = [];

const transportOf = (user: string, password = broker.password(user)) => {
  const transport = new KafkajsTransport({
    brokers: [broker.bootstrap()],
    clientId: user,
    sasl: { mechanism: 'scram-sha-512', username: user, password },
    log: () => undefined,
  });
  open.push(transport);
  return transport;
};
const message = (topic: string, id: string) => ({
  topic,
  key: id,
  value: Buffer.from(id),
  headers: { ce_id: id },
});
const endOffsets = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic)).map((p) => p.high).join(',');

/** The first crash of a subscription, or of its start. */
async function subscribeOutcome(
  user: string,
  group: string,
  topics: string[],
  onBatch?: (batch: PartitionBatch) => Promise<void>,
) {
  let subscription: Subscription | undefined;
  try {
    subscription = await transportOf(user).subscribe(
      { group, topics, fromBeginning: true, partitionConcurrency: 1 },
      onBatch ?? (async () => undefined),
    );
  } catch (error) {
    return { error: error as Error & { type?: string } };
  }
  const crash = await new Promise<Error | undefined>((resolve) => {
    const done = (error?: Error) => {
      clearInterval(joined);
      clearTimeout(timeout);
      resolve(error);
    };
    const joined = setInterval(() => subscription!.isMember() && done(), 100);
    const timeout = setTimeout(
      () => done(new Error('neither joined nor crashed within 30 s')),
      30_000,
    );
    subscription!.onCrash(done);
  });
  return { subscription, error: crash as (Error & { type?: string }) | undefined };
}

/** kafkajs wraps protocol errors (KafkaJSNonRetriableError, retries exceeded): the type may sit on a cause. */
function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  for (
    let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined;
    e;
    e = (e.cause ?? e.originalError) as typeof e
  ) {
    if (e.type) types.push(e.type);
    if (types.length > 10) break;
  }
  return types;
}

/**
 * A group the user may not use: the broker answers FindCoordinator with
 * GROUP_AUTHORIZATION_FAILED, which kafkajs does not pass on (BrokerPool.withBroker swallows
 * every error and Cluster.findGroupCoordinatorMetadata then throws
 * KafkaJSGroupCoordinatorNotFound, not retriable). So the client's error is checked, and the
 * broker's authorizer log is where the refusal itself is read.
 */
function expectGroupRefused(error: Error | undefined, user: string, group: string): void {
  expect(error?.name).toBe('KafkaJSGroupCoordinatorNotFound');
  const log = fs.readFileSync(path.join(broker.dir, 'logs', 'server.log'), 'utf8');
  expect(log).toMatch(
    new RegExp(
      `Principal = User:${user} is Denied operation = DESCRIBE from host = [^ ]+ on resource = Group:LITERAL:${group.replace(/[.]/g, '\\.')} `,
    ),
  );
}

beforeAll(async () => {
  await broker.start(users);
  admin = broker.superClient().admin();
  await admin.connect();
  await applyTopology(admin, topology);
  // A fresh cluster's group coordinator loads __consumer_offsets first; wait for it once here.
  const warmUp = broker.superClient().consumer({ groupId: 'troupe-test-warm-up' });
  await warmUp.connect();
  await warmUp.subscribe({ topics: ['orders.order.events'] });
  let joined = false;
  warmUp.on(warmUp.events.GROUP_JOIN, () => (joined = true));
  await warmUp.run({ eachMessage: async () => undefined });
  const deadline = Date.now() + 60_000;
  while (!joined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await warmUp.disconnect();
}, 180_000);

afterAll(async () => {
  for (const resource of open.splice(0)) await resource.close().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await broker.stop(); // the broker's data (topics, groups, offsets) goes with it
});

describe('Kafka security from the topology (SASL SCRAM-SHA-512, standard authorizer)', () => {
  it('lets a service produce to its own topic and another consume it with its own group', async () => {
    const id = `own-${Date.now()}`;
    const publisher = await transportOf('payments').publisher();
    await publisher.publish([message('payments.payment.events', id)]);
    const seen: string[] = [];
    const { subscription, error } = await subscribeOutcome(
      'orders',
      'orders',
      ['payments.payment.events'],
      async (batch) => {
        for (const m of batch.messages) {
          seen.push(m.key ?? '');
          batch.markDone(m);
        }
        await batch.commit();
      },
    );
    expect(error).toBeUndefined();
    const deadline = Date.now() + 30_000;
    while (!seen.includes(id) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(seen).toContain(id);
    await subscription!.stop();
    const committed = await admin.fetchOffsets({
      groupId: 'orders',
      topics: ['payments.payment.events'],
    });
    expect(committed[0].partitions.some((p) => Number(p.offset) > 0)).toBe(true);
  });

  it("refuses producing to another service's topic, and nothing is written", async () => {
    const before = await endOffsets('payments.payment.events');
    const publisher = await transportOf('orders').publisher();
    const failure = await publisher.publish([message('payments.payment.events', 'forged')]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(errorTypes(failure)).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await endOffsets('payments.payment.events')).toBe(before);
  });

  it("refuses writing another group's dead letters, and allows its own", async () => {
    const publisher = await transportOf('shipping').publisher();
    await publisher.publish([message(topicNames.deadLetter('shipping'), 'own-dlq')]);
    const failure = await publisher
      .publish([message(topicNames.deadLetter('payments'), 'forged')])
      .catch((error: unknown) => error);
    expect(errorTypes(failure)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it("refuses joining another service's group", async () => {
    const { error } = await subscribeOutcome('orders', 'payments', ['orders.order.events']);
    expectGroupRefused(error, 'orders', 'payments');
  });

  it('refuses reading a topic the service does not consume, even in its own group', async () => {
    const { error } = await subscribeOutcome('payments', 'payments', ['shipping.shipment.events']);
    expect(errorTypes(error)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets every replica join its broadcast group by prefix, and nothing beside the prefix', async () => {
    const replica = await subscribeOutcome('notifications', 'notifications-feed.pod-a1b2', [
      'orders.order.events',
    ]);
    expect(replica.error).toBeUndefined();
    await replica.subscription!.stop();
    const outside = await subscribeOutcome('notifications', 'notifications-feedx', [
      'orders.order.events',
    ]);
    expectGroupRefused(outside.error, 'notifications', 'notifications-feedx');
  });

  it('refuses a wrong password', async () => {
    const publisher = await transportOf('orders', 'not-the-password').publisher();
    const failure = await publisher
      .publish([message('orders.order.events', 'x')])
      .catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toMatch(/SASLAuthentication/);
  });

  it('speaks SASL_SSL with the CA from KAFKA_SSL_CA_FILE, and refuses a broker it cannot verify', async () => {
    const passwordFile = path.join(broker.dir, 'orders.password');
    fs.writeFileSync(passwordFile, `${broker.password('orders')}\n`);
    const env = {
      DATABASE_URL: 'postgres://unused@127.0.0.1/none',
      KAFKA_BROKERS: broker.bootstrap('saslSsl'),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'orders',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: broker.certificates!.caFile,
    };
    const kafka = loadConfig(PlatformEnv, env).troupeOptions('orders').kafka;
    const trusted = new KafkajsTransport({ ...kafka!, log: () => undefined });
    open.push(trusted);
    const before = await endOffsets('orders.order.events');
    await (await trusted.publisher()).publish([message('orders.order.events', 'over-tls')]);
    expect(await endOffsets('orders.order.events')).not.toBe(before);

    const untrusted = new KafkajsTransport({
      ...loadConfig(PlatformEnv, { ...env, KAFKA_SSL_CA_FILE: '' }).troupeOptions('orders').kafka!,
      log: () => undefined,
    });
    open.push(untrusted);
    const failure = await (
      await untrusted.publisher()
    )
      .publish([message('orders.order.events', 'x')])
      .catch((error: unknown) => error as Error);
    expect(String((failure as Error)?.message ?? failure)).toMatch(/certificate/i);
  });
});
