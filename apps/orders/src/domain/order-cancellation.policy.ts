import { OrderStatus, OrderTransition, orderTransition } from './order-lifecycle.policy';

/** What a request to cancel an order (POST /orders/:id/cancel) does. */
export type CancellationDecision =
  /** The order was PENDING: it is cancelled now. */
  | { kind: 'cancel'; transition: OrderTransition }
  /** It was already cancelled for this very reason: a repeated request, nothing changes. */
  | { kind: 'already-cancelled' }
  /** It is no longer PENDING (confirmed, or cancelled for another reason): nothing changes. */
  | { kind: 'conflict'; status: Exclude<OrderStatus, 'PENDING'>; cancelReason: string | null };

/**
 * The same rule as the outcomes from other services ({@link orderTransition}): only a pending
 * order moves, once. Asking twice with the same reason is answered like the first time, so
 * callers (the scheduler's deadline monitor) can retry safely.
 */
export function decideCancellation(
  order: { status: OrderStatus; cancelReason: string | null },
  reason: string,
): CancellationDecision {
  const transition = orderTransition(order.status, { kind: 'cancel', reason });
  if (transition) return { kind: 'cancel', transition };
  if (order.status === 'CANCELLED' && order.cancelReason === reason)
    return { kind: 'already-cancelled' };
  return {
    kind: 'conflict',
    status: order.status as Exclude<OrderStatus, 'PENDING'>,
    cancelReason: order.cancelReason,
  };
}
