import { Injectable } from '@nestjs/common';
import { CheckoutConfig } from '../checkout.config';
import { BasicServices } from '../clients/basic-services.client';
import { UpstreamError } from '../clients/upstream.error';
import { OrderView, PlaceOrderCommand } from './basic-service.views';
import { CheckoutAccepted, CheckoutRefused, CheckoutState } from './checkout.results';

/**
 * Places orders through the orders service and assembles one view of a checkout from the four
 * basic services. Holds no state: every answer is read from the services that own the data.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly services: BasicServices,
    private readonly config: CheckoutConfig,
  ) {}

  /** Throws UpstreamError when the orders service does not answer. */
  async place(
    command: PlaceOrderCommand,
    idempotencyKey?: string,
  ): Promise<CheckoutAccepted | CheckoutRefused> {
    const response = await this.services.placeOrder(command, idempotencyKey);
    if (response.status >= 400)
      return {
        status: response.status,
        problem: (response.body ?? {}) as CheckoutRefused['problem'],
      };
    const order = response.body as OrderView;
    if (!order || typeof order.orderId !== 'string')
      throw new UpstreamError(
        'orders',
        `POST /orders answered ${response.status} without an orderId`,
      );
    return { orderId: order.orderId, status: order.status, links: this.linksOf(order.orderId) };
  }

  /**
   * null when the orders service does not know the order; throws UpstreamError when it does not
   * answer. The other parts are null when missing, or when their service does not answer.
   */
  async state(orderId: string): Promise<CheckoutState | null> {
    const unavailable: string[] = [];
    const part = <T>(service: string, read: Promise<T | null>): Promise<T | null> =>
      read.catch((error: unknown) => {
        if (!(error instanceof UpstreamError)) throw error;
        unavailable.push(service);
        return null;
      });
    const [order, payment, stock, shipment] = await Promise.all([
      this.services.order(orderId),
      part('payments', this.services.payment(orderId)),
      part('inventory', this.services.reservation(orderId)),
      part('shipping', this.services.shipment(orderId)),
    ]);
    if (!order) return null;
    return { orderId, order, payment, stock, shipment, unavailable: unavailable.sort() };
  }

  private linksOf(orderId: string): CheckoutAccepted['links'] {
    const id = encodeURIComponent(orderId);
    return {
      self: `/checkout/${id}`,
      order: new URL(`/orders/${id}`, this.config.ORDERS_URL).toString(),
      feed: new URL(`/feed?orderId=${id}`, this.config.NOTIFICATIONS_URL).toString(),
    };
  }
}
