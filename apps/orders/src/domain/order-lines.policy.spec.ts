import { isSameOrder, orderTotalCents } from './order-lines.policy';

describe('order lines', () => {
  const lines = [
    { sku: 'A', quantity: 2, unitPriceCents: 150 },
    { sku: 'B', quantity: 1, unitPriceCents: 999 },
  ];

  it('totals quantity × unit price', () => {
    expect(orderTotalCents(lines)).toBe(1299);
    expect(orderTotalCents([{ sku: 'free', quantity: 3, unitPriceCents: 0 }])).toBe(0);
  });

  it('recognises the same order', () => {
    expect(
      isSameOrder(
        { customerId: 'c', items: lines },
        { customerId: 'c', items: lines.map((l) => ({ ...l })) },
      ),
    ).toBe(true);
  });

  it('tells a different customer, line or line order apart', () => {
    expect(isSameOrder({ customerId: 'c', items: lines }, { customerId: 'd', items: lines })).toBe(
      false,
    );
    expect(
      isSameOrder({ customerId: 'c', items: lines }, { customerId: 'c', items: [lines[0]] }),
    ).toBe(false);
    expect(
      isSameOrder(
        { customerId: 'c', items: lines },
        { customerId: 'c', items: [lines[1], lines[0]] },
      ),
    ).toBe(false);
    expect(
      isSameOrder(
        { customerId: 'c', items: lines },
        { customerId: 'c', items: [lines[0], { ...lines[1], quantity: 2 }] },
      ),
    ).toBe(false);
  });
});
