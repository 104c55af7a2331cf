import { pairMismatch, reconcile } from './reconciliation.policy';
import type { OrderView, PaymentView } from './shop.views';

describe('reconciliation', () => {
  const order = (orderId: string, status: OrderView['status'], totalCents = 1000): OrderView => ({
    orderId,
    status,
    cancelReason: null,
    totalCents,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
  });
  const payment = (
    orderId: string,
    status: PaymentView['status'],
    amountCents = 1000,
  ): PaymentView => ({
    orderId,
    paymentId: `p-${orderId}`,
    status,
    amountCents,
  });

  it.each([
    [order('o', 'CONFIRMED'), payment('o', 'AUTHORIZED'), null],
    [order('o', 'PENDING'), payment('o', 'AUTHORIZED'), null],
    [order('o', 'CANCELLED'), payment('o', 'REFUNDED'), null],
    [order('o', 'CANCELLED'), payment('o', 'FAILED'), null],
    [order('o', 'CANCELLED'), null, null],
    [null, payment('o', 'AUTHORIZED'), 'authorized-payment-without-order'],
    [order('o', 'CANCELLED'), payment('o', 'AUTHORIZED'), 'authorized-payment-for-cancelled-order'],
    [
      order('o', 'CONFIRMED'),
      payment('o', 'REFUNDED'),
      'confirmed-order-without-authorized-payment',
    ],
    [order('o', 'CONFIRMED'), null, 'confirmed-order-without-authorized-payment'],
    [order('o', 'CONFIRMED', 1000), payment('o', 'AUTHORIZED', 999), 'amount-mismatch'],
  ])('%j with %j → %s', (o, p, kind) => {
    expect(pairMismatch(o, p)).toBe(kind);
  });

  it('checks both sides against their counterparts and reports each order once', () => {
    const orders = new Map([
      ['ok', order('ok', 'CONFIRMED')],
      ['refund-missing', order('refund-missing', 'CANCELLED')],
      ['pending', order('pending', 'PENDING')],
      ['unpaid', order('unpaid', 'CONFIRMED')],
    ]);
    const payments = new Map([
      ['ok', payment('ok', 'AUTHORIZED')],
      ['refund-missing', payment('refund-missing', 'AUTHORIZED')],
      ['pending', payment('pending', 'AUTHORIZED')],
      ['unpaid', payment('unpaid', 'REFUNDED')],
    ]);
    const result = reconcile(
      [
        payments.get('ok')!,
        payments.get('refund-missing')!,
        payments.get('pending')!,
        payment('ghost', 'AUTHORIZED'),
      ],
      [orders.get('ok')!, orders.get('unpaid')!],
      orders,
      payments,
    );
    expect(result).toEqual({
      mismatches: [
        {
          kind: 'authorized-payment-for-cancelled-order',
          orderId: 'refund-missing',
          detail: 'order CANCELLED 1000 cents, payment AUTHORIZED 1000 cents',
        },
        {
          kind: 'authorized-payment-without-order',
          orderId: 'ghost',
          detail: 'no order, payment AUTHORIZED 1000 cents',
        },
        {
          kind: 'confirmed-order-without-authorized-payment',
          orderId: 'unpaid',
          detail: 'order CONFIRMED 1000 cents, payment REFUNDED 1000 cents',
        },
      ],
      inFlight: 1,
      checkedPayments: 4,
      checkedOrders: 2,
    });
  });
});
