import { Injectable } from '@nestjs/common';
import { CheckoutConfig } from '../checkout.config';
import {
  OrderView,
  PaymentView,
  PlaceOrderCommand,
  ReservationView,
  ShipmentView,
} from '../domain/basic-service.views';
import { ServiceClient, ServiceResponse } from './service.client';

/** The four basic services' HTTP APIs, as checkout uses them. */
@Injectable()
export class BasicServices {
  private readonly orders: ServiceClient;
  private readonly payments: ServiceClient;
  private readonly inventory: ServiceClient;
  private readonly shipping: ServiceClient;

  constructor(config: CheckoutConfig) {
    const timeout = config.UPSTREAM_TIMEOUT_MS;
    this.orders = new ServiceClient('orders', config.ORDERS_URL, timeout);
    this.payments = new ServiceClient('payments', config.PAYMENTS_URL, timeout);
    this.inventory = new ServiceClient('inventory', config.INVENTORY_URL, timeout);
    this.shipping = new ServiceClient('shipping', config.SHIPPING_URL, timeout);
  }

  /** POST /orders; the orders service's answer, whatever its status below 500. */
  placeOrder(
    command: PlaceOrderCommand,
    idempotencyKey?: string,
  ): Promise<ServiceResponse<OrderView | Record<string, unknown>>> {
    return this.orders.post(
      '/orders',
      command,
      idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    );
  }

  order(orderId: string): Promise<OrderView | null> {
    return this.orders.get(`/orders/${encodeURIComponent(orderId)}`);
  }

  payment(orderId: string): Promise<PaymentView | null> {
    return this.payments.get(`/payments/by-order/${encodeURIComponent(orderId)}`);
  }

  reservation(orderId: string): Promise<ReservationView | null> {
    return this.inventory.get(`/reservations/by-order/${encodeURIComponent(orderId)}`);
  }

  shipment(orderId: string): Promise<ShipmentView | null> {
    return this.shipping.get(`/shipments/by-order/${encodeURIComponent(orderId)}`);
  }
}
