import {
  OrderCancelled,
  OrderLine,
  OrderPlaced,
  StockRejected,
  StockReleased,
  StockReserved,
} from '@troupe/schemas';
import { waitFor } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { InventoryConfig } from '../../apps/inventory/src/inventory.config';
import { InventoryModule } from '../../apps/inventory/src/inventory.module';
import { DomainApp, Probe, sandboxConfig, startDomainApp } from '../support/domain-harness';

/** The inventory app (two replicas of it) against real Kafka, registry and PostgreSQL, driven by real order events. */
describe('inventory app', () => {
  let config: Awaited<ReturnType<typeof sandboxConfig<InventoryConfig>>>;
  let inventory: DomainApp;
  let replica: DomainApp;
  let probe: Probe;

  beforeAll(async () => {
    config = await sandboxConfig(InventoryConfig, 'inventory');
    probe = await Probe.start({
      publishes: [OrderPlaced, OrderCancelled],
      records: [StockReserved, StockRejected, StockReleased],
      from: config.CONSUMER_GROUP,
    });
    inventory = await startDomainApp(InventoryModule.forRoot(config));
    // A second replica: same schema, same consumer group; the partitions are shared out between them.
    replica = await startDomainApp(
      InventoryModule.forRoot(
        Object.assign(Object.create(config), { TROUPE_INSTANCE_ID: 'replica-b' }),
      ),
    );
    await waitFor(
      'both replicas in the group',
      () => inventory.runtime.isReady() && replica.runtime.isReady(),
      60_000,
    );
  });

  afterAll(async () => {
    await replica?.stop();
    await inventory?.stop();
    await probe?.stop();
    await config?.dropSchema();
  });

  const newSku = () => `SKU-${randomUUID().slice(0, 8)}`;
  const setStock = (sku: string, available: number) =>
    request(inventory.http).put(`/stock/${sku}`).send({ available });
  const stockOf = async (sku: string) =>
    (await request(inventory.http).get(`/stock/${sku}`).expect(200)).body;
  const reservationOf = async (orderId: string) =>
    (await request(inventory.http).get(`/reservations/by-order/${orderId}`).expect(200)).body;
  /** Events of a type both replicas together counted with an outcome so far. */
  const consumed = async (type: typeof OrderPlaced, outcome: 'handled' | 'duplicate') =>
    (await inventory.consumed(type, outcome)) + (await replica.consumed(type, outcome));
  const orderPlaced = (
    lines: Array<Pick<OrderLine, 'sku' | 'quantity'>>,
    orderId: string = randomUUID(),
  ) =>
    OrderPlaced.of({
      orderId,
      customerId: 'c-1',
      items: lines.map((l) => ({ ...l, unitPriceCents: 100 })),
      totalCents: 100,
      placedAt: Date.now(),
    });

  describe('stock API', () => {
    it('creates a SKU (201), replaces its quantity (200) and shows it', async () => {
      const sku = newSku();
      expect((await setStock(sku, 7).expect(201)).body).toEqual({ sku, available: 7, reserved: 0 });
      expect((await setStock(sku, 3).expect(200)).body).toEqual({ sku, available: 3, reserved: 0 });
      expect(await stockOf(sku)).toEqual({ sku, available: 3, reserved: 0 });
    });

    it.each([
      ['a negative quantity', 'SKU-1', { available: -1 }, 'available'],
      ['a fractional quantity', 'SKU-1', { available: 1.5 }, 'available'],
      ['no quantity', 'SKU-1', {}, 'available'],
      ['a bad SKU', 'bad%20sku', { available: 1 }, 'sku'],
    ])(
      'answers 400 problem details naming the field for %s',
      async (_case, sku, payload, field) => {
        const response = await request(inventory.http)
          .put(`/stock/${sku}`)
          .send(payload)
          .expect(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      },
    );

    it('answers 404 for an unknown SKU or order', async () => {
      const response = await request(inventory.http).get(`/stock/${newSku()}`).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      await request(inventory.http).get(`/reservations/by-order/${randomUUID()}`).expect(404);
    });
  });

  it('reserves every line of an order and publishes StockReserved with the demand per SKU', async () => {
    const [a, b] = [newSku(), newSku()].sort();
    await setStock(a, 5).expect(201);
    await setStock(b, 3).expect(201);
    const placed = orderPlaced([
      { sku: b, quantity: 1 },
      { sku: a, quantity: 2 },
      { sku: a, quantity: 1 },
    ]);
    await probe.send(placed);
    const [reserved] = await probe.expect(StockReserved, placed.orderId);
    const demand = [
      { sku: a, quantity: 3 },
      { sku: b, quantity: 1 },
    ];
    expect(reserved.items).toEqual(demand);
    expect(await reservationOf(placed.orderId)).toEqual({
      orderId: placed.orderId,
      status: 'RESERVED',
      items: demand,
      reason: null,
    });
    expect(await stockOf(a)).toEqual({ sku: a, available: 2, reserved: 3 });
    expect(await stockOf(b)).toEqual({ sku: b, available: 2, reserved: 1 });
  });

  it('reserves nothing when one line falls short, and names the SKU', async () => {
    const [plenty, scarce] = [newSku(), newSku()];
    await setStock(plenty, 5).expect(201);
    await setStock(scarce, 1).expect(201);
    const placed = orderPlaced([
      { sku: plenty, quantity: 2 },
      { sku: scarce, quantity: 2 },
    ]);
    await probe.send(placed);
    const [rejected] = await probe.expect(StockRejected, placed.orderId);
    expect(rejected).toMatchObject({
      sku: scarce,
      reason: `insufficient stock for ${scarce}: 2 requested, 1 available`,
    });
    expect(await reservationOf(placed.orderId)).toMatchObject({
      status: 'REJECTED',
      reason: rejected.reason,
    });
    expect(await stockOf(plenty)).toEqual({ sku: plenty, available: 5, reserved: 0 });
    expect(await stockOf(scarce)).toEqual({ sku: scarce, available: 1, reserved: 0 });
  });

  it('releases the reservation when the order is cancelled, once', async () => {
    const sku = newSku();
    await setStock(sku, 4).expect(201);
    const placed = orderPlaced([{ sku, quantity: 3 }]);
    await probe.send(placed);
    await probe.expect(StockReserved, placed.orderId);
    await probe.send(
      OrderCancelled.of({ orderId: placed.orderId, reason: 'payment failed: declined' }),
    );
    const [released] = await probe.expect(StockReleased, placed.orderId);
    expect(released.items).toEqual([{ sku, quantity: 3 }]);
    expect(await reservationOf(placed.orderId)).toMatchObject({ status: 'RELEASED' });
    expect(await stockOf(sku)).toEqual({ sku, available: 4, reserved: 0 });

    const again = await probe.send(OrderCancelled.of({ orderId: placed.orderId, reason: 'again' }));
    await waitFor('the second cancellation handled', () => inventory.handled(again));
    expect(await inventory.published(StockReleased, placed.orderId)).toBe(1);
    expect(await stockOf(sku)).toEqual({ sku, available: 4, reserved: 0 });
  });

  it('reserves once when OrderPlaced is delivered again', async () => {
    const sku = newSku();
    await setStock(sku, 10).expect(201);
    const placed = orderPlaced([{ sku, quantity: 4 }]);
    const [first] = await probe.send(placed);
    await probe.expect(StockReserved, placed.orderId);
    const duplicates = await consumed(OrderPlaced, 'duplicate');
    await probe.redeliver(first);
    // The cancellation follows the redelivery on the same topic and key, so it is consumed after it.
    await probe.send(OrderCancelled.of({ orderId: placed.orderId, reason: 'customer' }));
    await probe.expect(StockReleased, placed.orderId);
    expect(await stockOf(sku)).toEqual({ sku, available: 10, reserved: 0 });
    expect(await inventory.published(StockReserved, placed.orderId)).toBe(1);
    expect(await consumed(OrderPlaced, 'duplicate')).toBeGreaterThan(duplicates);
  });

  it('never oversells: 50 concurrent orders for 10 units, across partitions and replicas', async () => {
    const sku = newSku();
    await setStock(sku, 10).expect(201);
    const orders = Array.from({ length: 50 }, () => orderPlaced([{ sku, quantity: 1 }]));
    const before = await Promise.all(
      [inventory, replica].map((app) => app.consumed(OrderPlaced, 'handled')),
    );
    await Promise.all(orders.map((order) => probe.send(order)));
    const ids = orders.map((o) => o.orderId);
    const decided = async () =>
      (await inventory.dataSource.query(
        'SELECT status, count(*)::int AS n FROM reservations WHERE order_id = ANY($1) GROUP BY status ORDER BY status',
        [ids],
      )) as Array<{
        status: string;
        n: number;
      }>;
    await waitFor(
      'all 50 orders decided',
      async () => (await decided()).reduce((sum, row) => sum + row.n, 0) === 50,
      60_000,
    );
    expect(await decided()).toEqual([
      { status: 'REJECTED', n: 40 },
      { status: 'RESERVED', n: 10 },
    ]);
    expect(await stockOf(sku)).toEqual({ sku, available: 0, reserved: 10 });
    await waitFor('every decision published', () =>
      ids.every(
        (id) =>
          probe.events(StockReserved, id).length + probe.events(StockRejected, id).length === 1,
      ),
    );
    expect(ids.filter((id) => probe.events(StockReserved, id).length === 1)).toHaveLength(10);
    expect(
      probe.partitions(StockRejected, ids).size + probe.partitions(StockReserved, ids).size,
    ).toBeGreaterThan(2);
    // Both replicas consumed OrderPlaced events meanwhile: the partitions were shared between them.
    const after = await Promise.all(
      [inventory, replica].map((app) => app.consumed(OrderPlaced, 'handled')),
    );
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeGreaterThan(before[1]);
    expect(after[0] - before[0] + after[1] - before[1]).toBeGreaterThanOrEqual(50);
  });
});
