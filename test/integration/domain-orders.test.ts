import {
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  PaymentFailed,
  ShipmentScheduled,
  StockRejected,
} from '@troupe/schemas';
import { waitFor } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { OrdersConfig } from '../../apps/orders/src/orders.config';
import { OrdersModule } from '../../apps/orders/src/orders.module';
import { Order } from '../../apps/orders/src/persistence/order.entity';
import { DomainApp, Probe, sandboxConfig, startDomainApp } from '../support/domain-harness';

/** The orders app against real Kafka, registry and PostgreSQL, driven over HTTP and by real events. */
describe('orders app', () => {
  let config: Awaited<ReturnType<typeof sandboxConfig<OrdersConfig>>>;
  let orders: DomainApp;
  let probe: Probe;

  beforeAll(async () => {
    config = await sandboxConfig(OrdersConfig, 'orders');
    probe = await Probe.start({
      publishes: [PaymentFailed, StockRejected, ShipmentScheduled],
      records: [OrderPlaced, OrderCancelled, OrderConfirmed],
      from: config.CONSUMER_GROUP,
    });
    orders = await startDomainApp(OrdersModule.forRoot(config));
  });

  afterAll(async () => {
    await orders?.stop();
    await probe?.stop();
    await config?.dropSchema();
  });

  const body = (customerId = `c-${randomUUID()}`) => ({
    customerId,
    items: [
      { sku: 'SKU-A', quantity: 2, unitPriceCents: 1250 },
      { sku: 'SKU-B', quantity: 1, unitPriceCents: 499 },
    ],
  });
  const place = async (payload: object = body()) =>
    (await request(orders.http).post('/orders').send(payload).expect(201)).body;
  /**
   * A pending order written straight into the app's table, without OrderPlaced: the reference
   * topics are shared, so a running system would otherwise react to a placed order (e.g. its
   * inventory rejecting the unknown SKUs) and race the outcomes these tests send.
   */
  const pendingOrder = async () => {
    const orderId = randomUUID();
    const items = body().items;
    await orders.dataSource.getRepository(Order).insert({
      id: orderId,
      customerId: 'c-seeded',
      status: 'PENDING',
      cancelReason: null,
      items,
      totalCents: 2999,
      idempotencyKey: null,
    });
    return { orderId };
  };
  /** The parts of an order that only its own request decides (a running system may settle it meanwhile). */
  const placedPart = ({
    status: _status,
    cancelReason: _reason,
    updatedAt: _updated,
    ...rest
  }: Record<string, unknown>) => rest;
  const statusOf = async (orderId: string) =>
    (await request(orders.http).get(`/orders/${orderId}`).expect(200)).body;

  it('places a pending order and publishes OrderPlaced with its lines and total', async () => {
    const placed = await place();
    expect(placed).toMatchObject({
      status: 'PENDING',
      cancelReason: null,
      totalCents: 2999,
      items: body().items,
    });
    expect(placed.orderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(placedPart(await statusOf(placed.orderId))).toEqual(placedPart(placed));
    const [event] = await probe.expect(OrderPlaced, placed.orderId);
    expect(event).toMatchObject({
      orderId: placed.orderId,
      customerId: placed.customerId,
      totalCents: 2999,
      items: body().items,
    });
    expect(event.placedAt).toBe(new Date(placed.createdAt).getTime());
  });

  it('cancels on PaymentFailed, publishes OrderCancelled once, and ignores later outcomes', async () => {
    const { orderId } = await pendingOrder();
    await probe.send(PaymentFailed.of({ orderId, reason: 'card declined' }));
    await waitFor(
      'the order cancelled',
      async () => (await statusOf(orderId)).status === 'CANCELLED',
    );
    expect((await statusOf(orderId)).cancelReason).toBe('payment failed: card declined');
    const [cancelled] = await probe.expect(OrderCancelled, orderId);
    expect(cancelled.reason).toBe('payment failed: card declined');

    // A stock rejection and a (late) shipment for a cancelled order change nothing.
    const later = await probe.send(
      StockRejected.of({ orderId, reason: 'out of stock', sku: 'SKU-A' }),
      ShipmentScheduled.of({ orderId, shipmentId: randomUUID() }),
    );
    await waitFor('the later outcomes handled', () => orders.handled(later));
    expect(await statusOf(orderId)).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'payment failed: card declined',
    });
    expect(await orders.published(OrderCancelled, orderId)).toBe(1);
    expect(await orders.published(OrderConfirmed, orderId)).toBe(0);
  });

  it('cancels on StockRejected', async () => {
    const { orderId } = await pendingOrder();
    await probe.send(StockRejected.of({ orderId, reason: 'insufficient stock', sku: 'SKU-B' }));
    const [cancelled] = await probe.expect(OrderCancelled, orderId);
    expect(cancelled.reason).toBe('stock rejected: insufficient stock');
    expect(await statusOf(orderId)).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'stock rejected: insufficient stock',
    });
  });

  it('confirms on ShipmentScheduled, once, even when the event is delivered twice', async () => {
    const { orderId } = await pendingOrder();
    const [scheduled] = await probe.send(
      ShipmentScheduled.of({ orderId, shipmentId: randomUUID() }),
    );
    await probe.expect(OrderConfirmed, orderId);
    expect(await statusOf(orderId)).toMatchObject({ status: 'CONFIRMED', cancelReason: null });

    const duplicates = await orders.consumed(ShipmentScheduled, 'duplicate');
    await probe.redeliver(scheduled);
    // A later event on the same topic and key (same partition) is consumed after the redelivery.
    const late = await probe.send(ShipmentScheduled.of({ orderId, shipmentId: randomUUID() }));
    await waitFor('the later ShipmentScheduled handled', () => orders.handled(late));
    expect(await orders.consumed(ShipmentScheduled, 'duplicate')).toBeGreaterThan(duplicates); // the inbox recognised it
    expect(await statusOf(orderId)).toMatchObject({ status: 'CONFIRMED' });
    expect(await orders.published(OrderConfirmed, orderId)).toBe(1);
    expect(await orders.published(OrderCancelled, orderId)).toBe(0);
  });

  describe('Idempotency-Key', () => {
    it('returns the same order for a repeated request and places it once', async () => {
      const key = randomUUID();
      const payload = body();
      const first = await request(orders.http)
        .post('/orders')
        .set('Idempotency-Key', key)
        .send(payload)
        .expect(201);
      const again = await request(orders.http)
        .post('/orders')
        .set('Idempotency-Key', key)
        .send(payload)
        .expect(200);
      expect(placedPart(again.body)).toEqual(placedPart(first.body));
      expect(await orders.published(OrderPlaced, first.body.orderId)).toBe(1);
    });

    it('places one order when requests with the same key race', async () => {
      const key = randomUUID();
      const payload = body();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          request(orders.http).post('/orders').set('Idempotency-Key', key).send(payload),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual(
        [200, 200, 200, 200, 200, 200, 200, 201].sort(),
      );
      const ids = new Set(responses.map((r) => r.body.orderId));
      expect(ids.size).toBe(1);
      const [orderId] = ids;
      expect(
        (
          await orders.dataSource.query(
            'SELECT count(*)::int AS n FROM orders WHERE idempotency_key = $1',
            [key],
          )
        )[0].n,
      ).toBe(1);
      expect(await orders.published(OrderPlaced, orderId)).toBe(1);
    });

    it('refuses the key for a different order with 422', async () => {
      const key = randomUUID();
      await request(orders.http)
        .post('/orders')
        .set('Idempotency-Key', key)
        .send(body('c-1'))
        .expect(201);
      const response = await request(orders.http)
        .post('/orders')
        .set('Idempotency-Key', key)
        .send(body('c-2'))
        .expect(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('invalid requests', () => {
    it.each([
      ['a missing customerId', { items: body().items }, 'customerId'],
      ['no items', { customerId: 'c', items: [] }, 'items'],
      [
        'a zero quantity',
        { customerId: 'c', items: [{ sku: 'A', quantity: 0, unitPriceCents: 1 }] },
        'items.0.quantity',
      ],
      [
        'a fractional quantity',
        { customerId: 'c', items: [{ sku: 'A', quantity: 1.5, unitPriceCents: 1 }] },
        'items.0.quantity',
      ],
      [
        'a negative price',
        {
          customerId: 'c',
          items: [
            { sku: 'A', quantity: 1, unitPriceCents: 1 },
            { sku: 'B', quantity: 1, unitPriceCents: -1 },
          ],
        },
        'items.1.unitPriceCents',
      ],
      [
        'a line without sku',
        { customerId: 'c', items: [{ quantity: 1, unitPriceCents: 1 }] },
        'items.0.sku',
      ],
      [
        '51 lines',
        {
          customerId: 'c',
          items: Array.from({ length: 51 }, () => ({ sku: 'A', quantity: 1, unitPriceCents: 1 })),
        },
        'items',
      ],
      ['an unknown field', { ...body(), coupon: 'FREE' }, 'coupon'],
    ])('answers 400 problem details naming the field for %s', async (_case, payload, field) => {
      const response = await request(orders.http).post('/orders').send(payload).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for an unknown order or an id that is not a UUID', async () => {
      const unknown = await request(orders.http).get(`/orders/${randomUUID()}`).expect(404);
      expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
      await request(orders.http).get('/orders/not-a-uuid').expect(404);
    });
  });
});
