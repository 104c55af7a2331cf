import {
  ALL_EVENT_CLASSES,
  defaultKeyOf,
  OrderPlaced,
  StockRejected,
  StockReserved,
  topicNames,
} from '@troupe/schemas';
import { loadLocalSchemas } from './local-schemas.loader';
import { REPO_ROOT, SCHEMAS_DIR } from './repo-paths';

/** The committed generated classes, as application code sees them through @troupe/schemas. */
describe('generated event classes', () => {
  const placed = OrderPlaced.of({
    orderId: 'o-1',
    customerId: 'c-1',
    items: [{ sku: 'sku-1', quantity: 2, unitPriceCents: 1250 }],
    totalCents: 2500,
    placedAt: 1_700_000_000_000,
  });

  it('builds an OrderPlaced instance carrying its fields and identity', () => {
    expect(placed).toBeInstanceOf(OrderPlaced);
    expect(placed.orderId).toBe('o-1');
    expect(placed.items).toEqual([{ sku: 'sku-1', quantity: 2, unitPriceCents: 1250 }]);
    expect(placed.totalCents).toBe(2500);
    expect(placed.eventType).toBe('troupe.orders.OrderPlaced');
    expect(OrderPlaced.topic).toBe('orders.order.events');
    expect(OrderPlaced.keyField).toBe('orderId');
    expect(defaultKeyOf(placed)).toBe('o-1');
    expect(placed.toRecord()).toEqual({
      orderId: 'o-1',
      customerId: 'c-1',
      items: [{ sku: 'sku-1', quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      placedAt: 1_700_000_000_000,
    });
  });

  it('fills schema defaults in of() and keeps values that are given', () => {
    expect(StockRejected.of({ orderId: 'o-1', reason: 'short' }).sku).toBeNull();
    expect(StockRejected.of({ orderId: 'o-1', reason: 'short', sku: 's' }).sku).toBe('s');
  });

  it('carries exactly the stripped schema, so the codec registers the same text as schemas:register', () => {
    const local = loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR);
    expect(ALL_EVENT_CLASSES.map((c) => c.eventType)).toEqual(local.map((s) => s.fullName));
    for (const [i, type] of ALL_EVENT_CLASSES.entries()) {
      expect(JSON.stringify(type.schema)).toBe(JSON.stringify(local[i].schema));
      expect(topicNames.subject(type.topic, type.eventType)).toBe(local[i].subject);
      expect(JSON.stringify(type.schema)).not.toMatch(/"troupe\.\w+":/);
    }
    expect(StockReserved.topic).toBe('inventory.stock.events');
  });
});
