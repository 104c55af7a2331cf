/** An order's status changed: what /feed streams. */
export interface OrderStatusChange {
  orderId: string;
  status: 'PLACED' | 'CONFIRMED' | 'CANCELLED';
  /** Why it was cancelled (CANCELLED only). */
  reason?: string;
  /** The id of the event that carried the change. */
  eventId: string;
  /** When the change happened (ISO 8601). */
  occurredAt: string;
}
