import {
  OrderCancelled,
  OrderPlaced,
  PaymentAuthorized,
  PaymentFailed,
  PaymentRefunded,
} from '@troupe/schemas';
import { waitFor } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PaymentsConfig } from '../../apps/payments/src/payments.config';
import { PaymentsModule } from '../../apps/payments/src/payments.module';
import { DomainApp, Probe, sandboxConfig, startDomainApp } from '../support/domain-harness';

/** The payments app against real Kafka, registry and PostgreSQL, driven by real OrderPlaced / OrderCancelled events. */
describe('payments app', () => {
  let config: Awaited<ReturnType<typeof sandboxConfig<PaymentsConfig>>>;
  let payments: DomainApp;
  let probe: Probe;

  beforeAll(async () => {
    config = await sandboxConfig(PaymentsConfig, 'payments');
    probe = await Probe.start({
      publishes: [OrderPlaced, OrderCancelled],
      records: [PaymentAuthorized, PaymentFailed, PaymentRefunded],
      from: config.CONSUMER_GROUP,
    });
    payments = await startDomainApp(PaymentsModule.forRoot(config));
  });

  afterAll(async () => {
    await payments?.stop();
    await probe?.stop();
    await config?.dropSchema();
  });

  const orderPlaced = (totalCents: number, orderId: string = randomUUID()) =>
    OrderPlaced.of({
      orderId,
      customerId: 'c-1',
      items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: totalCents }],
      totalCents,
      placedAt: Date.now(),
    });
  const paymentOf = async (orderId: string) =>
    (await request(payments.http).get(`/payments/by-order/${orderId}`).expect(200)).body;

  it('authorizes an order up to the limit and publishes PaymentAuthorized', async () => {
    const placed = orderPlaced(100_000);
    await probe.send(placed);
    const [authorized] = await probe.expect(PaymentAuthorized, placed.orderId);
    expect(authorized).toMatchObject({ orderId: placed.orderId, amountCents: 100_000 });
    expect(await paymentOf(placed.orderId)).toEqual({
      orderId: placed.orderId,
      paymentId: authorized.paymentId,
      status: 'AUTHORIZED',
      amountCents: 100_000,
      reason: null,
    });
  });

  it('declines an order above PAYMENT_DECLINE_ABOVE_CENTS and publishes PaymentFailed', async () => {
    const placed = orderPlaced(100_001);
    await probe.send(placed);
    const [failed] = await probe.expect(PaymentFailed, placed.orderId);
    expect(failed.reason).toBe('amount 100001 is above the limit of 100000 cents');
    expect(await paymentOf(placed.orderId)).toMatchObject({
      status: 'FAILED',
      amountCents: 100_001,
      reason: failed.reason,
    });
    expect(await payments.published(PaymentAuthorized, placed.orderId)).toBe(0);
  });

  it('refunds an authorized payment when the order is cancelled', async () => {
    const placed = orderPlaced(2_500);
    await probe.send(placed);
    const [authorized] = await probe.expect(PaymentAuthorized, placed.orderId);
    await probe.send(
      OrderCancelled.of({ orderId: placed.orderId, reason: 'stock rejected: insufficient stock' }),
    );
    const [refunded] = await probe.expect(PaymentRefunded, placed.orderId);
    expect(refunded).toMatchObject({
      orderId: placed.orderId,
      paymentId: authorized.paymentId,
      amountCents: 2_500,
    });
    expect(await paymentOf(placed.orderId)).toMatchObject({
      status: 'REFUNDED',
      paymentId: authorized.paymentId,
    });
  });

  it('refunds nothing for a cancelled order whose payment failed', async () => {
    const placed = orderPlaced(500_000);
    await probe.send(placed);
    await probe.expect(PaymentFailed, placed.orderId);
    const cancelled = await probe.send(
      OrderCancelled.of({ orderId: placed.orderId, reason: 'payment failed' }),
    );
    await waitFor('the cancellation handled', () => payments.handled(cancelled));
    expect(await paymentOf(placed.orderId)).toMatchObject({ status: 'FAILED' });
    expect(await payments.published(PaymentRefunded, placed.orderId)).toBe(0);
  });

  it('charges once when OrderPlaced is delivered again or announced twice', async () => {
    const placed = orderPlaced(4_200);
    const [first] = await probe.send(placed);
    await probe.expect(PaymentAuthorized, placed.orderId);
    const duplicates = await payments.consumed(OrderPlaced, 'duplicate');
    await probe.redeliver(first); // the same message again: the inbox skips it
    await probe.send(orderPlaced(4_200, placed.orderId)); // a new event for the same order: the payment row stops it
    // The cancellation follows both on the same topic and key, so they were consumed before it.
    const cancelled = await probe.send(
      OrderCancelled.of({ orderId: placed.orderId, reason: 'customer' }),
    );
    await probe.expect(PaymentRefunded, placed.orderId);
    expect(await payments.handled(cancelled)).toBe(true);
    expect(await payments.published(PaymentAuthorized, placed.orderId)).toBe(1);
    expect(await payments.published(PaymentRefunded, placed.orderId)).toBe(1);
    expect(
      (
        await payments.dataSource.query(
          'SELECT count(*)::int AS n FROM payments WHERE order_id = $1',
          [placed.orderId],
        )
      )[0].n,
    ).toBe(1);
    expect(await payments.consumed(OrderPlaced, 'duplicate')).toBeGreaterThan(duplicates);
  });

  it('answers 404 problem details for an order it has no payment for', async () => {
    const response = await request(payments.http)
      .get(`/payments/by-order/${randomUUID()}`)
      .expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
