import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { loadSettings } from '../../infra/src/settings';
import { AppName, PLATFORM_APPS, REPO_ROOT } from '../../scripts/start/platform-apps';
import { PlatformHandle, startPlatform } from '../../scripts/start/platform-processes';
import { DEPLOYED_APPS } from '../../scripts/topology/app-catalog';
import { aclsOf } from '../../scripts/topology/kafka-acls';
import { buildTopology } from '../../scripts/topology/topology.model';
import { SecureKafkaBroker } from '../support/secure-kafka/secure-kafka.broker';
import { applyTopology } from '../support/secure-kafka/topology-acls';
import { ReferenceClient } from './support/reference-client';
import { SseClient } from './support/sse-client';

/**
 * The reference system as it is deployed: the production build (`npm run build`, each app run
 * as `node dist/apps/<app>/main.js`), topics declared beforehand (TOPIC_CREATE=false, as the
 * KafkaTopics do), and every service on a SASL SCRAM-SHA-512 broker with the standard
 * authorizer as its own user, holding only the ACLs the topology generator gives it.
 */
describe('reference system from the build, each service with its own Kafka credentials', () => {
  const run = randomUUID().slice(0, 8);
  const topology = buildTopology(DEPLOYED_APPS);
  const users = topology.services.filter((s) => aclsOf(s, topology).length > 0).map((s) => s.name);
  const broker = new SecureKafkaBroker();
  let platform: PlatformHandle | undefined;
  let client: ReferenceClient;

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (build.status !== 0)
      throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
    await broker.start(users);
    const admin = broker.superClient().admin();
    await admin.connect();
    await applyTopology(admin, topology);
    await admin.disconnect();
    const credentials = (app: AppName): Record<string, string> =>
      users.includes(app)
        ? {
            KAFKA_SASL_MECHANISM: 'scram-sha-512',
            KAFKA_SASL_USERNAME: app,
            KAFKA_SASL_PASSWORD: broker.password(app),
          }
        : {};
    platform = await startPlatform({
      fromBuild: true,
      infra: { ...loadSettings(), kafkaPort: broker.ports.sasl },
      logDir: path.join(REPO_ROOT, 'infra', '.data', 'e2e-secure-apps'),
      env: { DATABASE_POOL_SIZE: '5', TOPIC_CREATE: 'false' },
      appEnv: Object.fromEntries(
        PLATFORM_APPS.map((app) => [
          app,
          { ...credentials(app), ...(app === 'payments' ? { PAYMENT_FAILURE_RATE: '0' } : {}) },
        ]),
      ),
      onProgress: (message) => process.stderr.write(`[e2e-secure] ${message}\n`),
    });
    client = new ReferenceClient(platform);
  });

  afterAll(async () => {
    await platform?.stop();
    await broker.stop();
  });

  it('needs only production dependencies at run time (the image installs no others)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const app of PLATFORM_APPS) {
      const bundle = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'apps', app, 'main.js'), 'utf8');
      const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      const packages = required.filter(
        (name) =>
          !name.startsWith('node:') && !builtinModules.includes(name) && !name.startsWith('.'),
      );
      const packageNames = packages.map((name) =>
        name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0],
      );
      expect(packageNames.length).toBeGreaterThan(0);
      expect([app, packageNames.filter((name) => !(name in pkg.dependencies))]).toEqual([app, []]);
    }
  });

  it('confirms an order through every service; the broadcast feed sees it', async () => {
    const sku = `secure-${run}`;
    await client.seedStock(sku, 10);
    const feed = await SseClient.connect(`${client.url('notifications')}/feed`);
    try {
      const orderId = await client.place({
        customerId: `secure-${run}`,
        items: [{ sku, quantity: 1, unitPriceCents: 2_500 }],
      });
      const state = await client.waitForView(
        orderId,
        'CONFIRMED',
        (s) => s.order.status === 'CONFIRMED' && s.shipment?.status === 'SCHEDULED',
      );
      expect(state.payment?.status).toBe('AUTHORIZED');
      expect(state.stock?.status).toBe('RESERVED');
      await feed.waitFor(
        `CONFIRMED of ${orderId} on /feed`,
        (e) => {
          const change = JSON.parse(e.data) as { orderId: string; status: string };
          return change.orderId === orderId && change.status === 'CONFIRMED';
        },
        30_000,
      );
      const kinds = async () =>
        (await client.notifications(orderId)).map((n) => n.eventType).sort();
      const deadline = Date.now() + 30_000;
      while ((await kinds()).length < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(await kinds()).toEqual([
        'troupe.orders.OrderConfirmed',
        'troupe.orders.OrderPlaced',
        'troupe.shipping.ShipmentScheduled',
      ]);
    } finally {
      await feed.close();
    }
  });

  it('cancels a declined order and releases its stock, across payments, orders and inventory', async () => {
    const sku = `secure-${run}-declined`;
    await client.seedStock(sku, 10);
    const orderId = await client.place({
      customerId: `secure-${run}`,
      items: [{ sku, quantity: 1, unitPriceCents: 500_000 }],
    });
    const state = await client.waitForView(
      orderId,
      'CANCELLED, stock released',
      (s) => s.order.status === 'CANCELLED' && s.stock?.status !== 'RESERVED' && s.stock !== null,
    );
    expect(state.payment?.status).toBe('FAILED');
    expect((await client.stock(sku)).available).toBe(10);
  });
});
