import { CheckoutConfig } from '../checkout.config';
import { BasicServices } from '../clients/basic-services.client';
import { UpstreamError } from '../clients/upstream.error';
import { CheckoutService } from './checkout.service';

describe('CheckoutService', () => {
  const config = Object.assign(new CheckoutConfig(), {
    ORDERS_URL: 'http://orders:3001',
    NOTIFICATIONS_URL: 'http://notifications:3005',
  });
  const order = { orderId: 'o-1', status: 'PENDING' as const };
  function services(overrides: Partial<Record<keyof BasicServices, jest.Mock>>): BasicServices {
    return {
      placeOrder: jest.fn(),
      order: jest.fn().mockResolvedValue(order),
      payment: jest.fn().mockResolvedValue(null),
      reservation: jest.fn().mockResolvedValue(null),
      shipment: jest.fn().mockResolvedValue(null),
      ...overrides,
    } as unknown as BasicServices;
  }

  it('forwards the order and its Idempotency-Key, and links to the checkout, the order and its feed', async () => {
    const placeOrder = jest.fn().mockResolvedValue({ status: 201, body: order });
    const result = await new CheckoutService(services({ placeOrder }), config).place(
      { customerId: 'c', items: [{ sku: 's', quantity: 1, unitPriceCents: 1 }] },
      'key-1',
    );
    expect(placeOrder).toHaveBeenCalledWith(
      { customerId: 'c', items: [{ sku: 's', quantity: 1, unitPriceCents: 1 }] },
      'key-1',
    );
    expect(result).toEqual({
      orderId: 'o-1',
      status: 'PENDING',
      links: {
        self: '/checkout/o-1',
        order: 'http://orders:3001/orders/o-1',
        feed: 'http://notifications:3005/feed?orderId=o-1',
      },
    });
  });

  it('passes a refusal of the orders service on', async () => {
    const placeOrder = jest.fn().mockResolvedValue({
      status: 422,
      body: { title: 'Unprocessable Entity', detail: 'key reused' },
    });
    expect(
      await new CheckoutService(services({ placeOrder }), config).place({
        customerId: 'c',
        items: [],
      }),
    ).toEqual({ status: 422, problem: { title: 'Unprocessable Entity', detail: 'key reused' } });
  });

  it('assembles the parts, null where missing', async () => {
    const payment = { orderId: 'o-1', status: 'AUTHORIZED' };
    const state = await new CheckoutService(
      services({ payment: jest.fn().mockResolvedValue(payment) }),
      config,
    ).state('o-1');
    expect(state).toEqual({
      orderId: 'o-1',
      order,
      payment,
      stock: null,
      shipment: null,
      unavailable: [],
    });
  });

  it('reports a part whose service does not answer as unavailable, not as missing', async () => {
    const reservation = jest.fn().mockRejectedValue(new UpstreamError('inventory', 'ECONNREFUSED'));
    const state = await new CheckoutService(services({ reservation }), config).state('o-1');
    expect(state).toMatchObject({ stock: null, unavailable: ['inventory'] });
  });

  it('knows no checkout for an unknown order, and fails when orders does not answer', async () => {
    expect(
      await new CheckoutService(
        services({ order: jest.fn().mockResolvedValue(null) }),
        config,
      ).state('o-x'),
    ).toBeNull();
    await expect(
      new CheckoutService(
        services({
          order: jest.fn().mockRejectedValue(new UpstreamError('orders', 'timeout', 'timeout')),
        }),
        config,
      ).state('o-1'),
    ).rejects.toThrow(UpstreamError);
  });
});
