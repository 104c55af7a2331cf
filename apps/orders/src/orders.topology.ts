import { ServiceTopology } from '@troupe/messaging';
import { OrderCancelled, OrderConfirmed, OrderPlaced } from '@troupe/schemas';
import { OrderOutcomeHandler } from './handlers/order-outcome.handler';

/** What orders publishes and handles: read by OrdersModule and by `npm run topology`. */
export const ordersTopology: ServiceTopology = {
  service: 'orders',
  publishes: [OrderPlaced, OrderCancelled, OrderConfirmed],
  handlers: [OrderOutcomeHandler],
};
