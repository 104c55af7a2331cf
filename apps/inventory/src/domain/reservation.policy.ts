import type { StockLine } from '@troupe/schemas';

export type ReservationDecision =
  { reserve: true } | { reserve: false; sku: string; reason: string };

/**
 * What an order asks of each SKU: lines of the same SKU summed, sorted by SKU. Stock rows are
 * locked in this order, so two reservations can never wait for each other.
 */
export function demandOf(lines: readonly StockLine[]): StockLine[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of lines) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * All or nothing: the order is reserved only if every SKU has enough available; otherwise it is
 * rejected naming the first SKU (in SKU order) that falls short. `available` holds the locked
 * stock rows; a SKU without a row has no stock.
 */
export function decideReservation(
  demand: readonly StockLine[],
  available: ReadonlyMap<string, number>,
): ReservationDecision {
  for (const { sku, quantity } of demand) {
    const have = available.get(sku);
    if (have === undefined) return { reserve: false, sku, reason: `unknown sku ${sku}` };
    if (have < quantity)
      return {
        reserve: false,
        sku,
        reason: `insufficient stock for ${sku}: ${quantity} requested, ${have} available`,
      };
  }
  return { reserve: true };
}
