import { OrderCancelled, OrderPlaced, PaymentRefunded } from '@troupe/schemas';
import { customerRecipient, notificationTemplates, orderRecipient } from './notification-templates';

describe('notificationTemplates', () => {
  it('addresses OrderPlaced to its customer and sums the order', () => {
    const message = notificationTemplates.orderPlaced(
      OrderPlaced.of({
        orderId: 'o-1',
        customerId: 'c-1',
        items: [
          { sku: 'a', quantity: 2, unitPriceCents: 1250 },
          { sku: 'b', quantity: 1, unitPriceCents: 500 },
        ],
        totalCents: 3000,
        placedAt: 0,
      }),
    );
    expect(message).toEqual(
      expect.objectContaining({
        kind: 'order-placed',
        orderId: 'o-1',
        customerId: 'c-1',
        recipient: 'customer:c-1',
      }),
    );
    expect(message.body).toContain('3 item(s), 30.00 EUR');
  });

  it('addresses later events to whoever the caller found', () => {
    const to = { customerId: null, recipient: orderRecipient('o-2') };
    expect(
      notificationTemplates.orderCancelled(
        OrderCancelled.of({ orderId: 'o-2', reason: 'payment failed: declined' }),
        to,
      ),
    ).toEqual(
      expect.objectContaining({
        kind: 'order-cancelled',
        recipient: 'order:o-2',
        body: 'Reason: payment failed: declined.',
      }),
    );
    const refund = notificationTemplates.paymentRefunded(
      PaymentRefunded.of({ orderId: 'o-2', paymentId: 'p-9', amountCents: 1999 }),
      { customerId: 'c-2', recipient: customerRecipient('c-2') },
    );
    expect(refund).toEqual(
      expect.objectContaining({
        kind: 'payment-refunded',
        customerId: 'c-2',
        recipient: 'customer:c-2',
      }),
    );
    expect(refund.body).toContain('19.99 EUR');
  });
});
