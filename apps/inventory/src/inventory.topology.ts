import { ServiceTopology } from '@troupe/messaging';
import { StockRejected, StockReleased, StockReserved } from '@troupe/schemas';
import { OrderStockHandler } from './handlers/order-stock.handler';

/** What inventory publishes and handles: read by InventoryModule and by `npm run topology`. */
export const inventoryTopology: ServiceTopology = {
  service: 'inventory',
  publishes: [StockReserved, StockRejected, StockReleased],
  handlers: [OrderStockHandler],
};
