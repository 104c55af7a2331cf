import {
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  PaymentRefunded,
  ShipmentScheduled,
} from '@troupe/schemas';
import { NotificationMessage } from './notification-message';

/** Recipient of notifications about an order whose customer is not known (yet). */
export const orderRecipient = (orderId: string): string => `order:${orderId}`;
export const customerRecipient = (customerId: string): string => `customer:${customerId}`;

const euros = (cents: number): string => `${(cents / 100).toFixed(2)} EUR`;

type Addressee = Pick<NotificationMessage, 'customerId' | 'recipient'>;

/** The texts customers receive, one function per event type. Pure: no I/O, no clock. */
export const notificationTemplates = {
  orderPlaced(event: OrderPlaced): NotificationMessage {
    const lines = event.items.reduce((sum, line) => sum + line.quantity, 0);
    return {
      kind: 'order-placed',
      orderId: event.orderId,
      customerId: event.customerId,
      recipient: customerRecipient(event.customerId),
      subject: `We received your order ${event.orderId}`,
      body: `${lines} item(s), ${euros(Number(event.totalCents))}. We will confirm it once payment and stock are settled.`,
    };
  },
  orderConfirmed(event: OrderConfirmed, to: Addressee): NotificationMessage {
    return {
      kind: 'order-confirmed',
      orderId: event.orderId,
      ...to,
      subject: `Order ${event.orderId} is confirmed`,
      body: 'Payment is authorized and your items are reserved.',
    };
  },
  orderCancelled(event: OrderCancelled, to: Addressee): NotificationMessage {
    return {
      kind: 'order-cancelled',
      orderId: event.orderId,
      ...to,
      subject: `Order ${event.orderId} was cancelled`,
      body: `Reason: ${event.reason}.`,
    };
  },
  paymentRefunded(event: PaymentRefunded, to: Addressee): NotificationMessage {
    return {
      kind: 'payment-refunded',
      orderId: event.orderId,
      ...to,
      subject: `Refund for order ${event.orderId}`,
      body: `${euros(Number(event.amountCents))} were refunded (payment ${event.paymentId}).`,
    };
  },
  shipmentScheduled(event: ShipmentScheduled, to: Addressee): NotificationMessage {
    return {
      kind: 'shipment-scheduled',
      orderId: event.orderId,
      ...to,
      subject: `Order ${event.orderId} is on its way`,
      body: `Shipment ${event.shipmentId} is scheduled.`,
    };
  },
};
