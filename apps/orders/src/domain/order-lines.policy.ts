import type { OrderLine } from '@troupe/schemas';

/** Sum of quantity × unit price over the lines. */
export function orderTotalCents(lines: readonly OrderLine[]): number {
  return lines.reduce((total, line) => total + line.quantity * line.unitPriceCents, 0);
}

/**
 * Whether a repeated request (same Idempotency-Key) asks for the same order: same customer,
 * same lines in the same order.
 */
export function isSameOrder(
  a: { customerId: string; items: readonly OrderLine[] },
  b: { customerId: string; items: readonly OrderLine[] },
): boolean {
  return (
    a.customerId === b.customerId &&
    a.items.length === b.items.length &&
    a.items.every(
      (line, i) =>
        line.sku === b.items[i].sku &&
        line.quantity === b.items[i].quantity &&
        line.unitPriceCents === b.items[i].unitPriceCents,
    )
  );
}
