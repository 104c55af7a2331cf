import { ServiceTopology } from '@troupe/messaging';
import { PaymentAuthorized, PaymentFailed, PaymentRefunded } from '@troupe/schemas';
import { OrderPaymentHandler } from './handlers/order-payment.handler';

/** What payments publishes and handles: read by PaymentsModule and by `npm run topology`. */
export const paymentsTopology: ServiceTopology = {
  service: 'payments',
  publishes: [PaymentAuthorized, PaymentFailed, PaymentRefunded],
  handlers: [OrderPaymentHandler],
};
