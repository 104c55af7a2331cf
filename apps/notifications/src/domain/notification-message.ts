/** What a notification is about; one kind per event type the service reacts to. */
export type NotificationKind =
  | 'order-placed'
  | 'order-confirmed'
  | 'order-cancelled'
  | 'payment-refunded'
  | 'shipment-scheduled';

/** A notification ready to send: who gets it and what it says. */
export interface NotificationMessage {
  kind: NotificationKind;
  orderId: string;
  /** The customer it is for, when known (OrderPlaced names them; later events only the order). */
  customerId: string | null;
  /** Where it goes: the customer, or the order when the customer is not known yet. */
  recipient: string;
  subject: string;
  body: string;
}
