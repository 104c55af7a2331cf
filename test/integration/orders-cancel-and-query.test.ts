import { OrderCancelled } from '@troupe/schemas';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { OrdersConfig } from '../../apps/orders/src/orders.config';
import { OrdersModule } from '../../apps/orders/src/orders.module';
import { Order } from '../../apps/orders/src/persistence/order.entity';
import { PaymentsConfig } from '../../apps/payments/src/payments.config';
import { PaymentsModule } from '../../apps/payments/src/payments.module';
import { Payment } from '../../apps/payments/src/persistence/payment.entity';
import { DomainApp, Probe, sandboxConfig, startDomainApp } from '../support/domain-harness';

/**
 * The read and cancel APIs the scheduler's jobs use, on the real apps (real PostgreSQL; the
 * cancellation's OrderCancelled through the real outbox and Kafka).
 */
describe('orders and payments APIs for the scheduler', () => {
  let ordersConfig: Awaited<ReturnType<typeof sandboxConfig<OrdersConfig>>>;
  let paymentsConfig: Awaited<ReturnType<typeof sandboxConfig<PaymentsConfig>>>;
  let orders: DomainApp;
  let payments: DomainApp;
  let probe: Probe;

  beforeAll(async () => {
    ordersConfig = await sandboxConfig(OrdersConfig, 'orders');
    paymentsConfig = await sandboxConfig(PaymentsConfig, 'payments');
    probe = await Probe.start({
      publishes: [],
      records: [OrderCancelled],
      from: ordersConfig.CONSUMER_GROUP,
    });
    orders = await startDomainApp(OrdersModule.forRoot(ordersConfig));
    payments = await startDomainApp(PaymentsModule.forRoot(paymentsConfig));
  });

  afterAll(async () => {
    await orders?.stop();
    await payments?.stop();
    await probe?.stop();
    await ordersConfig?.dropSchema();
    await paymentsConfig?.dropSchema();
  });

  /** Orders written straight into the table (no OrderPlaced, so nothing else reacts to them). */
  const seedOrder = async (
    status: Order['status'],
    createdAt: Date,
    cancelReason: string | null = null,
  ) => {
    const id = randomUUID();
    await orders.dataSource.getRepository(Order).insert({
      id,
      customerId: 'c-seeded',
      status,
      cancelReason,
      items: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 500 }],
      totalCents: 500,
      idempotencyKey: null,
      createdAt,
      updatedAt: createdAt,
    });
    return id;
  };
  const cancel = (orderId: string, body: object = { reason: 'timeout' }) =>
    request(orders.http).post(`/orders/${orderId}/cancel`).send(body);

  it('cancels a pending order once: OrderCancelled with the reason; a repeat answers the same and publishes nothing', async () => {
    const orderId = await seedOrder('PENDING', new Date());
    const first = await cancel(orderId).expect(200);
    expect(first.body).toMatchObject({ orderId, status: 'CANCELLED', cancelReason: 'timeout' });
    const [event] = await probe.expect(OrderCancelled, orderId);
    expect(event).toMatchObject({ orderId, reason: 'timeout' });

    const again = await cancel(orderId).expect(200);
    expect(again.body).toMatchObject({ orderId, status: 'CANCELLED', cancelReason: 'timeout' });
    expect(await orders.published(OrderCancelled, orderId)).toBe(1);
  });

  it('answers 409 problem details for an order that is no longer PENDING, and changes nothing', async () => {
    const confirmed = await seedOrder('CONFIRMED', new Date());
    const response = await cancel(confirmed).expect(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      status: 409,
      detail: `order ${confirmed} is CONFIRMED, not PENDING`,
    });
    const declined = await seedOrder('CANCELLED', new Date(), 'payment failed: declined');
    expect((await cancel(declined).expect(409)).body.detail).toBe(
      `order ${declined} is CANCELLED (payment failed: declined), not PENDING`,
    );
    expect(await orders.published(OrderCancelled, confirmed)).toBe(0);
    expect(await orders.published(OrderCancelled, declined)).toBe(0);
  });

  it('refuses bad cancellations with 4xx problem details naming what is wrong', async () => {
    expect((await cancel(randomUUID()).expect(404)).body).toMatchObject({ status: 404 });
    expect((await cancel('not-a-uuid').expect(400)).body.detail).toMatch(/orderId/);
    const pending = await seedOrder('PENDING', new Date());
    expect((await cancel(pending, {}).expect(400)).body.errors).toEqual([
      { field: 'reason', problems: expect.arrayContaining(['reason should not be empty']) },
    ]);
    expect(
      (await cancel(pending, { reason: 'x'.repeat(201) }).expect(400)).body.errors[0].field,
    ).toBe('reason');
    expect(
      (await cancel(pending, { reason: 'timeout', force: true }).expect(400)).body.errors[0].field,
    ).toBe('force');
    expect((await request(orders.http).get(`/orders/${pending}`).expect(200)).body.status).toBe(
      'PENDING',
    );
  });

  it('lists orders by status and placement time, a page at a time, and by ids', async () => {
    const base = Date.now() - 3_600_000;
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    const old = [
      await seedOrder('PENDING', at(0)),
      await seedOrder('PENDING', at(1)),
      await seedOrder('PENDING', at(2)),
    ];
    const confirmed = await seedOrder('CONFIRMED', at(3));
    const recent = await seedOrder('PENDING', at(50));
    const list = (query: Record<string, string>) =>
      request(orders.http).get('/orders').query(query);

    const window = {
      status: 'PENDING',
      placedFrom: at(0).toISOString(),
      placedBefore: at(10).toISOString(),
    };
    const first = (await list({ ...window, limit: '2' }).expect(200)).body;
    expect(first.items.map((o: { orderId: string }) => o.orderId)).toEqual(old.slice(0, 2));
    expect(first.next).toEqual(expect.any(String));
    const second = (await list({ ...window, limit: '2', after: first.next }).expect(200)).body;
    expect(second).toMatchObject({ items: [{ orderId: old[2], status: 'PENDING' }], next: null });

    const byIds = (await list({ ids: [confirmed, recent, randomUUID()].join(',') }).expect(200))
      .body;
    expect(
      byIds.items.map((o: { orderId: string; status: string }) => [o.orderId, o.status]),
    ).toEqual([
      [confirmed, 'CONFIRMED'],
      [recent, 'PENDING'],
    ]);
  });

  it('refuses bad order filters with 400 naming the field', async () => {
    for (const [query, field] of [
      [{ status: 'LOST' }, 'status'],
      [{ placedBefore: 'yesterday' }, 'placedBefore'],
      [{ ids: 'a,b' }, 'ids'],
      [{ limit: '0' }, 'limit'],
      [{ after: 'page-2' }, 'after'],
      [{ customer: 'c-1' }, 'customer'],
    ] as const) {
      const response = await request(orders.http).get('/orders').query(query).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('lists payments by status and creation time, and by order ids', async () => {
    const base = Date.now() - 7_200_000;
    const seed = async (status: Payment['status'], minutes: number) => {
      const orderId = randomUUID();
      await payments.dataSource.getRepository(Payment).insert({
        id: randomUUID(),
        orderId,
        status,
        amountCents: 700,
        reason: null,
        createdAt: new Date(base + minutes * 60_000),
        updatedAt: new Date(base + minutes * 60_000),
      });
      return orderId;
    };
    const a = await seed('AUTHORIZED', 0);
    await seed('REFUNDED', 1);
    const b = await seed('AUTHORIZED', 2);
    const list = (query: Record<string, string>) =>
      request(payments.http).get('/payments').query(query);
    const window = {
      status: 'AUTHORIZED',
      createdFrom: new Date(base).toISOString(),
      createdBefore: new Date(base + 10 * 60_000).toISOString(),
    };
    const first = (await list({ ...window, limit: '1' }).expect(200)).body;
    expect(first.items).toEqual([
      expect.objectContaining({ orderId: a, status: 'AUTHORIZED', amountCents: 700 }),
    ]);
    const second = (await list({ ...window, limit: '1', after: first.next }).expect(200)).body;
    expect(second).toMatchObject({ items: [{ orderId: b }], next: null });
    expect(
      (await list({ orderIds: `${b},${a}` }).expect(200)).body.items.map(
        (p: { orderId: string }) => p.orderId,
      ),
    ).toEqual([a, b]);
    expect((await list({ status: 'PAID' }).expect(400)).body.errors[0].field).toBe('status');
  });
});
