/** What a demo order is built to do. */
export type DemoOrderKind = 'regular' | 'payment-decline' | 'stock-rejection';

export interface DemoLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface DemoOrder {
  kind: DemoOrderKind;
  customerId: string;
  items: DemoLine[];
}

/** The SKUs one demo run seeds: several with plenty of stock, one with a little. */
export interface DemoCatalog {
  plentiful: Array<{ sku: string; unitPriceCents: number }>;
  /** A SKU whose stock is below what stock-rejection orders ask for. */
  scarce: { sku: string; available: number; unitPriceCents: number };
}

export function demoCatalog(runId: string): DemoCatalog {
  return {
    plentiful: [
      { sku: `demo-${runId}-espresso`, unitPriceCents: 1_250 },
      { sku: `demo-${runId}-grinder`, unitPriceCents: 8_900 },
      { sku: `demo-${runId}-filter`, unitPriceCents: 450 },
    ],
    scarce: { sku: `demo-${runId}-limited`, available: 20, unitPriceCents: 2_000 },
  };
}

/**
 * Picks a kind by the shares and builds an order of it. Regular orders stay well below the
 * decline limit and ask for plentiful SKUs; payment-decline orders cost more than the limit;
 * stock-rejection orders ask for more of the scarce SKU than was ever stocked.
 */
export function demoOrder(
  catalog: DemoCatalog,
  shares: { decline: number; stock: number },
  declineAboveCents: number,
  random: () => number = Math.random,
): DemoOrder {
  const roll = random();
  const customerId = `demo-customer-${Math.floor(random() * 1000)}`;
  if (roll < shares.decline) {
    const line = catalog.plentiful[0];
    return {
      kind: 'payment-decline',
      customerId,
      items: [{ sku: line.sku, quantity: 1, unitPriceCents: declineAboveCents + 1 }],
    };
  }
  if (roll < shares.decline + shares.stock) {
    const { sku, available, unitPriceCents } = catalog.scarce;
    return {
      kind: 'stock-rejection',
      customerId,
      items: [{ sku, quantity: available + 1, unitPriceCents }],
    };
  }
  const count = 1 + Math.floor(random() * catalog.plentiful.length);
  const items = catalog.plentiful.slice(0, count).map((p) => ({
    sku: p.sku,
    quantity: 1 + Math.floor(random() * 3),
    unitPriceCents: p.unitPriceCents,
  }));
  return { kind: 'regular', customerId, items };
}
