import { OrderRequest, OrderState, StockLevel } from './reference-client';

/**
 * What stock must look like once every order has settled: for each SKU, reserved equals the
 * quantity of that SKU in confirmed orders, and available is what was seeded minus that.
 */
export function expectedStock(
  seeded: Record<string, number>,
  placed: ReadonlyArray<{ orderId: string; request: OrderRequest }>,
  finals: ReadonlyMap<string, OrderState>,
): Record<string, StockLevel> {
  const expected: Record<string, StockLevel> = {};
  for (const [sku, available] of Object.entries(seeded))
    expected[sku] = { sku, available, reserved: 0 };
  for (const { orderId, request } of placed) {
    if (finals.get(orderId)?.status !== 'CONFIRMED') continue;
    for (const line of request.items) {
      expected[line.sku].reserved += line.quantity;
      expected[line.sku].available -= line.quantity;
    }
  }
  return expected;
}
