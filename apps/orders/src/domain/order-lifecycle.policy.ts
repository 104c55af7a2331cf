export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

/** What the other services reported about an order. */
export type OrderOutcome = { kind: 'cancel'; reason: string } | { kind: 'confirm' };

export interface OrderTransition {
  status: Exclude<OrderStatus, 'PENDING'>;
  cancelReason: string | null;
}

/**
 * The order's next state after an outcome, or null when nothing changes. Only a pending order
 * moves, and only once: CONFIRMED and CANCELLED are final, so a late or repeated outcome (a
 * stock rejection after a payment failure, a redelivery) is ignored.
 */
export function orderTransition(
  status: OrderStatus,
  outcome: OrderOutcome,
): OrderTransition | null {
  if (status !== 'PENDING') return null;
  return outcome.kind === 'cancel'
    ? { status: 'CANCELLED', cancelReason: outcome.reason }
    : { status: 'CONFIRMED', cancelReason: null };
}
