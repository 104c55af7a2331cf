import { demoCatalog, demoOrder } from './demo-orders';

describe('demoOrder', () => {
  const catalog = demoCatalog('t1');
  const total = (items: Array<{ quantity: number; unitPriceCents: number }>) =>
    items.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  const sequence =
    (...values: number[]) =>
    () =>
      values.shift() ?? 0.5;

  it('builds payment declines above the limit', () => {
    const order = demoOrder(catalog, { decline: 0.1, stock: 0.1 }, 100_000, sequence(0.05));
    expect(order.kind).toBe('payment-decline');
    expect(total(order.items)).toBeGreaterThan(100_000);
  });

  it('builds stock rejections asking for more than the scarce SKU ever had', () => {
    const order = demoOrder(catalog, { decline: 0.1, stock: 0.1 }, 100_000, sequence(0.15));
    expect(order.kind).toBe('stock-rejection');
    expect(order.items).toEqual([
      expect.objectContaining({ sku: catalog.scarce.sku, quantity: catalog.scarce.available + 1 }),
    ]);
  });

  it('keeps regular orders on plentiful SKUs and below the limit', () => {
    for (let i = 0; i < 200; i++) {
      const order = demoOrder(
        catalog,
        { decline: 0.1, stock: 0.1 },
        100_000,
        sequence(0.5, Math.random(), 0.99, 0.99, 0.99, 0.99),
      );
      expect(order.kind).toBe('regular');
      expect(total(order.items)).toBeLessThanOrEqual(100_000);
      expect(order.items.every((l) => catalog.plentiful.some((p) => p.sku === l.sku))).toBe(true);
    }
  });
});
