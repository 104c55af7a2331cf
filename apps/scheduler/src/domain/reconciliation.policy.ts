import type { OrderView, PaymentView } from './shop.views';

/** The ways an order and its payment can disagree. */
export type MismatchKind =
  /** Money was taken for an order orders does not know. */
  | 'authorized-payment-without-order'
  /** The order was cancelled but its payment is still authorized: the refund is missing. */
  | 'authorized-payment-for-cancelled-order'
  /** The order was confirmed (shipped) without an authorized payment. */
  | 'confirmed-order-without-authorized-payment'
  /** Confirmed and authorized, but for different amounts. */
  | 'amount-mismatch';

export const MISMATCH_KINDS: readonly MismatchKind[] = [
  'authorized-payment-without-order',
  'authorized-payment-for-cancelled-order',
  'confirmed-order-without-authorized-payment',
  'amount-mismatch',
];

export interface Mismatch {
  kind: MismatchKind;
  orderId: string;
  /** What each side says, for the log and the review task. */
  detail: string;
}

/**
 * Whether an order and its payment (either may be missing) disagree. An order still PENDING is
 * in flight, not a mismatch (the deadline monitor looks after it); so is a payment that failed
 * or was refunded for an order that is not confirmed.
 */
export function pairMismatch(
  order: OrderView | null,
  payment: PaymentView | null,
): MismatchKind | null {
  if (payment?.status === 'AUTHORIZED') {
    if (!order) return 'authorized-payment-without-order';
    if (order.status === 'CANCELLED') return 'authorized-payment-for-cancelled-order';
    if (order.status === 'CONFIRMED' && order.totalCents !== payment.amountCents)
      return 'amount-mismatch';
    return null;
  }
  if (order?.status === 'CONFIRMED') return 'confirmed-order-without-authorized-payment';
  return null;
}

export function describePair(order: OrderView | null, payment: PaymentView | null): string {
  const o = order ? `order ${order.status} ${order.totalCents} cents` : 'no order';
  const p = payment ? `payment ${payment.status} ${payment.amountCents} cents` : 'no payment';
  return `${o}, ${p}`;
}

/** The result of comparing authorized payments with confirmed orders. */
export interface Reconciliation {
  mismatches: Mismatch[];
  /** Payments authorized whose order is still PENDING. */
  inFlight: number;
  checkedPayments: number;
  checkedOrders: number;
}

/**
 * Compares the authorized payments and the confirmed orders of a window with their
 * counterparts, wherever in time those are (`orders` and `payments` map order ids to what the
 * services said; an absent key means the service does not know it). Each order is reported
 * at most once.
 */
export function reconcile(
  authorized: readonly PaymentView[],
  confirmed: readonly OrderView[],
  orders: ReadonlyMap<string, OrderView>,
  payments: ReadonlyMap<string, PaymentView>,
): Reconciliation {
  const mismatches = new Map<string, Mismatch>();
  let inFlight = 0;
  const check = (order: OrderView | null, payment: PaymentView | null, orderId: string) => {
    if (mismatches.has(orderId)) return;
    const kind = pairMismatch(order, payment);
    if (kind) mismatches.set(orderId, { kind, orderId, detail: describePair(order, payment) });
  };
  for (const payment of authorized) {
    const order = orders.get(payment.orderId) ?? null;
    if (order?.status === 'PENDING') inFlight++;
    check(order, payment, payment.orderId);
  }
  for (const order of confirmed) check(order, payments.get(order.orderId) ?? null, order.orderId);
  return {
    mismatches: [...mismatches.values()],
    inFlight,
    checkedPayments: authorized.length,
    checkedOrders: confirmed.length,
  };
}
