import { ServiceTopology } from '@troupe/messaging';

/** Checkout is an HTTP façade: no events either way, so no topics, Kafka user or ACLs. */
export const checkoutTopology: ServiceTopology = {
  service: 'checkout',
  publishes: [],
  handlers: [],
};
