import { ServiceTopology } from '@troupe/messaging';
import { ShipmentScheduled } from '@troupe/schemas';
import { ShipmentReadinessHandler } from './handlers/shipment-readiness.handler';

/** What shipping publishes and handles: read by ShippingModule and by `npm run topology`. */
export const shippingTopology: ServiceTopology = {
  service: 'shipping',
  publishes: [ShipmentScheduled],
  handlers: [ShipmentReadinessHandler],
};
