import { PaymentAuthorized, ShipmentScheduled, StockReserved } from '@troupe/schemas';
import { waitFor } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ShippingConfig } from '../../apps/shipping/src/shipping.config';
import { ShippingModule } from '../../apps/shipping/src/shipping.module';
import { DomainApp, Probe, sandboxConfig, startDomainApp } from '../support/domain-harness';

/** The shipping app against real Kafka, registry and PostgreSQL, driven by real PaymentAuthorized / StockReserved events. */
describe('shipping app', () => {
  let config: Awaited<ReturnType<typeof sandboxConfig<ShippingConfig>>>;
  let shipping: DomainApp;
  let probe: Probe;

  beforeAll(async () => {
    config = await sandboxConfig(ShippingConfig, 'shipping');
    probe = await Probe.start({
      publishes: [PaymentAuthorized, StockReserved],
      records: [ShipmentScheduled],
      from: config.CONSUMER_GROUP,
    });
    shipping = await startDomainApp(ShippingModule.forRoot(config));
  });

  afterAll(async () => {
    await shipping?.stop();
    await probe?.stop();
    await config?.dropSchema();
  });

  const paid = (orderId: string) =>
    PaymentAuthorized.of({ orderId, paymentId: randomUUID(), amountCents: 1000 });
  const reserved = (orderId: string) =>
    StockReserved.of({ orderId, items: [{ sku: 'SKU-1', quantity: 1 }] });
  const shipmentOf = async (orderId: string) =>
    (await request(shipping.http).get(`/shipments/by-order/${orderId}`).expect(200)).body;

  it.each([
    ['payment, then stock', paid, reserved],
    ['stock, then payment', reserved, paid],
  ])('waits for both, then schedules one shipment (%s)', async (_order, first, second) => {
    const orderId = randomUUID();
    const sent = await probe.send(first(orderId));
    await waitFor('the first event handled', () => shipping.handled(sent));
    const waiting = await shipmentOf(orderId);
    expect(waiting).toMatchObject({ orderId, status: 'WAITING', shipmentId: null });
    expect(waiting.paymentSeen !== waiting.stockSeen).toBe(true);
    expect(await shipping.published(ShipmentScheduled, orderId)).toBe(0);

    await probe.send(second(orderId));
    const [scheduled] = await probe.expect(ShipmentScheduled, orderId);
    expect(await shipmentOf(orderId)).toEqual({
      orderId,
      shipmentId: scheduled.shipmentId,
      status: 'SCHEDULED',
      paymentSeen: true,
      stockSeen: true,
    });
  });

  it('schedules exactly one shipment per order when both events arrive at once', async () => {
    const orderIds = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(
      orderIds.flatMap((orderId) => [probe.send(paid(orderId)), probe.send(reserved(orderId))]),
    );
    await waitFor(
      'every order scheduled',
      () => orderIds.every((id) => probe.events(ShipmentScheduled, id).length > 0),
      60_000,
    );
    for (const orderId of orderIds)
      expect(await shipping.published(ShipmentScheduled, orderId)).toBe(1);
    const rows = await shipping.dataSource.query(
      "SELECT count(*)::int AS n FROM shipments WHERE order_id = ANY($1) AND status = 'SCHEDULED'",
      [orderIds],
    );
    expect(rows[0].n).toBe(20);
  });

  it('ignores a redelivered or repeated event once scheduled', async () => {
    const orderId = randomUUID();
    const [payment] = await probe.send(paid(orderId));
    await probe.send(reserved(orderId));
    await probe.expect(ShipmentScheduled, orderId);
    const duplicates = await shipping.consumed(PaymentAuthorized, 'duplicate');
    await probe.redeliver(payment);
    // A new event on the same topic and key is consumed after the redelivery.
    const again = await probe.send(paid(orderId));
    await waitFor('the repeated payment handled', () => shipping.handled(again));
    expect(await shipping.published(ShipmentScheduled, orderId)).toBe(1);
    expect(await shipping.consumed(PaymentAuthorized, 'duplicate')).toBeGreaterThan(duplicates);
  });

  it('answers 404 problem details for an order it has not heard of', async () => {
    const response = await request(shipping.http)
      .get(`/shipments/by-order/${randomUUID()}`)
      .expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
