import { inPool } from './http';
import { OrderRequest, OrderState, ReferenceClient } from './reference-client';
import { expectedStock } from './stock-ledger';

export interface PlacedOrder {
  orderId: string;
  request: OrderRequest;
}

/**
 * `count` orders over a plentiful and a scarce SKU of `tag`: 10% built to be declined (total
 * above the limit), 40% competing for the scarce SKU (more is asked for than there is), a tenth
 * of them on both SKUs (all or nothing).
 */
export function mixedOrders(options: {
  tag: string;
  count: number;
  sku: (name: string) => string;
  customer: (name: string) => string;
  declineAboveCents: number;
}): OrderRequest[] {
  const { tag, sku, customer } = options;
  return Array.from({ length: options.count }, (_, i) => {
    const plenty = { sku: sku(`${tag}-plenty`), quantity: 1 + (i % 3), unitPriceCents: 700 };
    const scarce = { sku: sku(`${tag}-scarce`), quantity: 1 + (i % 2), unitPriceCents: 1_100 };
    const kind = i % 10;
    const declined = [{ ...plenty, quantity: 1, unitPriceCents: options.declineAboveCents + 1 }];
    const items =
      kind === 0 ? declined : kind <= 3 ? [scarce] : kind === 4 ? [plenty, scarce] : [plenty];
    return { customerId: customer(`${tag}-${i % 50}`), items };
  });
}

/**
 * Waits until every order is final, then checks what must hold once the flows have settled:
 * declined orders are cancelled; per SKU, reserved = the items of confirmed orders and
 * available = seeded − reserved (never negative); each order agrees with its parts (confirmed:
 * payment AUTHORIZED, stock RESERVED, shipment SCHEDULED; cancelled: none of those). Each wait
 * is bounded and explains itself on timeout.
 */
export async function expectSettled(
  client: ReferenceClient,
  options: {
    tag: string;
    seeded: Record<string, number>;
    placed: readonly PlacedOrder[];
    declineAboveCents: number;
    timeoutMs: number;
  },
): Promise<Map<string, OrderState>> {
  const { tag, seeded, placed } = options;
  const finals = await client.waitAllFinal(
    placed.map((p) => p.orderId),
    options.timeoutMs,
  );
  const statuses = [...finals.values()].map((o) => o.status);
  const confirmed = statuses.filter((s) => s === 'CONFIRMED').length;
  process.stderr.write(
    `[e2e] ${tag}: ${confirmed} confirmed, ${statuses.length - confirmed} cancelled of ${placed.length}\n`,
  );

  for (const { orderId, request } of placed) {
    if (request.items.some((l) => l.unitPriceCents > options.declineAboveCents))
      expect(finals.get(orderId)?.status).toBe('CANCELLED');
  }

  const expected = expectedStock(seeded, placed, finals);
  await client.poll(
    `${tag}: stock to add up (reserved = items of confirmed orders)`,
    60_000,
    async () => {
      const levels = await Promise.all(Object.keys(seeded).map((s) => client.stock(s)));
      return {
        done: levels.every(
          (l) =>
            l.reserved === expected[l.sku].reserved && l.available === expected[l.sku].available,
        ),
        last: { levels, expected },
      };
    },
  );
  for (const s of Object.keys(seeded)) {
    const level = await client.stock(s);
    expect(level.available).toBeGreaterThanOrEqual(0);
    expect(level.available + level.reserved).toBe(seeded[s]); // nothing oversold, nothing lost
  }

  let open = placed.map((p) => p.orderId);
  await client.poll(
    `${tag}: every order's payment, stock and shipment to match its final state`,
    90_000,
    async () => {
      const inconsistent = new Map<string, unknown>();
      await inPool(open, 25, async (id) => {
        const { order, payment, stock, shipment } = await client.view(id);
        const ok =
          order.status === 'CONFIRMED'
            ? payment?.status === 'AUTHORIZED' &&
              stock?.status === 'RESERVED' &&
              shipment?.status === 'SCHEDULED'
            : order.status === 'CANCELLED' &&
              payment?.status !== 'AUTHORIZED' &&
              stock?.status !== 'RESERVED' &&
              shipment?.status !== 'SCHEDULED';
        if (!ok)
          inconsistent.set(id, {
            order: order.status,
            reason: order.cancelReason,
            payment: payment?.status,
            stock: stock?.status,
            shipment: shipment?.status,
          });
      });
      open = [...inconsistent.keys()];
      return {
        done: open.length === 0,
        last: { inconsistent: open.length, sample: [...inconsistent.entries()].slice(0, 5) },
      };
    },
  );
  return finals;
}
