import { uniqueName } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/start/platform-apps';
import { PlatformHandle, startPlatform } from '../../scripts/start/platform-processes';
import { inPool } from './support/http';
import { ordersTableCounts } from './support/orders-table';
import { ReferenceClient } from './support/reference-client';
import { PlacedOrder, expectSettled, mixedOrders } from './support/settlement';
import { SseClient } from './support/sse-client';

/**
 * The reference system end to end: every app as its own process (as `npm start` runs them),
 * against the real Kafka, registry and PostgreSQL, in their real consumer groups. Topics and
 * databases outlive runs, so every run uses fresh customers and SKUs of its own.
 */
describe('reference system', () => {
  const run = randomUUID().slice(0, 8);
  const DECLINE_ABOVE_CENTS = 100_000;
  let platform: PlatformHandle;
  let client: ReferenceClient;

  const sku = (name: string) => `e2e-${run}-${name}`;
  const customer = (name: string) => `e2e-${run}-${name}`;

  beforeAll(async () => {
    platform = await startPlatform({
      logDir: path.join(REPO_ROOT, 'infra', '.data', 'e2e-apps'),
      // Five pools on a PostgreSQL that others share (default max_connections is 100).
      // Broadcast groups are <group>.<instance id>: a name of this run, so clean-up removes them.
      env: { DATABASE_POOL_SIZE: '5', TROUPE_INSTANCE_ID: uniqueName('e2e') },
      // Deterministic payments: declines exactly above the limit, none at random.
      appEnv: {
        payments: {
          PAYMENT_DECLINE_ABOVE_CENTS: String(DECLINE_ABOVE_CENTS),
          PAYMENT_FAILURE_RATE: '0',
        },
      },
      onProgress: (message) => process.stderr.write(`[e2e] ${message}\n`),
    });
    client = new ReferenceClient(platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('confirms a regular order; the checkout view shows every step; notifications and the live feed saw it', async () => {
    await client.seedStock(sku('happy'), 50);
    const feed = await SseClient.connect(`${client.url('notifications')}/feed`);
    try {
      const orderId = await client.place({
        customerId: customer('alice'),
        items: [{ sku: sku('happy'), quantity: 2, unitPriceCents: 1_500 }],
      });

      const state = await client.waitForView(
        orderId,
        'CONFIRMED with payment, stock and shipment done',
        (s) => s.order.status === 'CONFIRMED' && s.shipment?.status === 'SCHEDULED',
      );
      expect(state).toMatchObject({
        orderId,
        order: { orderId, status: 'CONFIRMED', totalCents: 3_000, customerId: customer('alice') },
        payment: { status: 'AUTHORIZED', amountCents: 3_000 },
        stock: { status: 'RESERVED' },
        shipment: { status: 'SCHEDULED' },
        unavailable: [],
      });
      expect(await client.stock(sku('happy'))).toMatchObject({ available: 48, reserved: 2 });

      const onFeed = (status: string) => (event: { data: string }) =>
        JSON.parse(event.data).orderId === orderId && JSON.parse(event.data).status === status;
      await feed.waitFor(`PLACED of ${orderId} on /feed`, onFeed('PLACED'), 30_000);
      await feed.waitFor(`CONFIRMED of ${orderId} on /feed`, onFeed('CONFIRMED'), 30_000);

      const rows = await client.poll(`notifications of ${orderId}`, 30_000, async () => {
        const found = await client.notifications(orderId);
        const kinds = found.map((n) => n.kind);
        return {
          done: ['order-placed', 'shipment-scheduled', 'order-confirmed'].every((k) =>
            kinds.includes(k),
          ),
          last: found,
        };
      });
      expect(new Set(rows.map((n) => n.eventId)).size).toBe(rows.length); // one per event
      expect(rows.every((n) => n.recipient === `customer:${customer('alice')}`)).toBe(true);
    } finally {
      await feed.close();
    }
  });

  it('validates checkout input naming the field, and places an order once per Idempotency-Key', async () => {
    const invalid = await fetch(`${client.url('checkout')}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: customer('bob'),
        items: [{ sku: sku('x'), quantity: 0, unitPriceCents: 100 }],
      }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(await invalid.json()).toMatchObject({
      status: 400,
      errors: [{ field: 'items.0.quantity' }],
    });

    await client.seedStock(sku('idem'), 10);
    const key = randomUUID();
    const request = {
      customerId: customer('bob'),
      items: [{ sku: sku('idem'), quantity: 1, unitPriceCents: 100 }],
    };
    const first = await client.place(request, key);
    expect(await client.place(request, key)).toBe(first);
    expect((await fetch(`${client.url('checkout')}/checkout/${randomUUID()}`)).status).toBe(404);
  });

  it('cancels an order whose payment is declined and releases its stock', async () => {
    await client.seedStock(sku('decline'), 10);
    const orderId = await client.place({
      customerId: customer('carol'),
      items: [{ sku: sku('decline'), quantity: 1, unitPriceCents: DECLINE_ABOVE_CENTS + 1 }],
    });

    const state = await client.waitForView(
      orderId,
      'CANCELLED, payment FAILED, stock RELEASED',
      (s) =>
        s.order.status === 'CANCELLED' &&
        s.payment?.status === 'FAILED' &&
        s.stock?.status === 'RELEASED',
    );
    expect(state.shipment?.status).not.toBe('SCHEDULED');
    expect(state.order.cancelReason).toEqual(expect.stringContaining('payment'));
    await client.poll(`stock of ${sku('decline')} back to 10`, 30_000, async () => {
      const level = await client.stock(sku('decline'));
      return { done: level.available === 10 && level.reserved === 0, last: level };
    });
    await client.poll(`the cancellation notification of ${orderId}`, 30_000, async () => {
      const rows = await client.notifications(orderId);
      return { done: rows.some((n) => n.kind === 'order-cancelled'), last: rows };
    });
  });

  it('cancels an order whose stock is rejected and refunds its payment', async () => {
    await client.seedStock(sku('scarce'), 1);
    const orderId = await client.place({
      customerId: customer('dave'),
      items: [{ sku: sku('scarce'), quantity: 3, unitPriceCents: 1_000 }],
    });

    const state = await client.waitForView(
      orderId,
      'CANCELLED, stock REJECTED, payment REFUNDED',
      (s) =>
        s.order.status === 'CANCELLED' &&
        s.stock?.status === 'REJECTED' &&
        s.payment?.status === 'REFUNDED',
    );
    expect(state.shipment?.status).not.toBe('SCHEDULED');
    expect(state.order.cancelReason).toEqual(expect.stringContaining('stock'));
    expect(await client.stock(sku('scarce'))).toMatchObject({ available: 1, reserved: 0 });
    await client.poll(`the refund notification of ${orderId}`, 30_000, async () => {
      const kinds = (await client.notifications(orderId)).map((n) => n.kind);
      return {
        done: kinds.includes('order-cancelled') && kinds.includes('payment-refunded'),
        last: kinds,
      };
    });
  });

  it('places 500 orders from 100 clients at once exactly once each (clients repeat 502/503/504 with their key), and settles them with stock adding up', async () => {
    const seeded = { [sku('bulk-plenty')]: 100_000, [sku('bulk-scarce')]: 60 };
    for (const [s, available] of Object.entries(seeded)) await client.seedStock(s, available);
    const requests = mixedOrders({
      tag: 'bulk',
      count: 500,
      sku,
      customer,
      declineAboveCents: DECLINE_ABOVE_CENTS,
    });

    const t0 = Date.now();
    const retriesBefore = client.retries;
    const orderIds = await inPool(requests, 100, (request) => client.place(request));
    process.stderr.write(
      `[e2e] 500 orders placed in ${Date.now() - t0} ms, ${client.retries - retriesBefore} request(s) repeated\n`,
    );
    const placed = requests.map((request, i) => ({ orderId: orderIds[i], request }));
    // Exactly once: one order per request, however often a request was repeated.
    expect(new Set(orderIds).size).toBe(500);
    expect(await ordersTableCounts(customer('bulk-'))).toEqual({ orders: 500, keys: 500 });

    const finals = await expectSettled(client, {
      tag: '500 orders',
      seeded,
      placed,
      declineAboveCents: DECLINE_ABOVE_CENTS,
      timeoutMs: 240_000,
    });
    process.stderr.write(
      `[e2e] 500 orders settled ${Date.now() - t0} ms after the first was placed\n`,
    );
    const scarceConfirmed = placed.filter(
      (p) =>
        finals.get(p.orderId)?.status === 'CONFIRMED' &&
        p.request.items.some((l) => l.sku === sku('bulk-scarce')),
    );
    expect(scarceConfirmed.length).toBeGreaterThan(0);
    expect(
      [...finals.values()].some(
        (o) => o.status === 'CANCELLED' && /stock/i.test(o.cancelReason ?? ''),
      ),
    ).toBe(true);
  });

  it('settles every order when payments and inventory are killed mid-run and started again', async () => {
    const seeded = { [sku('crash-plenty')]: 100_000, [sku('crash-scarce')]: 40 };
    for (const [s, available] of Object.entries(seeded)) await client.seedStock(s, available);
    const requests = mixedOrders({
      tag: 'crash',
      count: 200,
      sku,
      customer,
      declineAboveCents: DECLINE_ABOVE_CENTS,
    });
    const placed: PlacedOrder[] = [];

    // A steady stream, about 25 orders a second, while two services crash and come back.
    const placing = (async () => {
      for (const [i, request] of requests.entries()) {
        placed.push({ orderId: await client.place(request), request });
        if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await platform.kill('payments', 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await platform.kill('inventory', 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const t0 = Date.now();
    await Promise.all([platform.start('payments'), platform.start('inventory')]);
    process.stderr.write(
      `[e2e] payments and inventory ready again ${Date.now() - t0} ms after their restart\n`,
    );
    await placing;

    await expectSettled(client, {
      tag: 'kill and restart',
      seeded,
      placed,
      declineAboveCents: DECLINE_ABOVE_CENTS,
      timeoutMs: 240_000,
    });
  });
});
