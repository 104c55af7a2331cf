import { Injectable } from '@nestjs/common';
import { NonRetriableError } from '@troupe/messaging';
import { SchedulerConfig } from '../scheduler.config';
import type { OrderView, Page, PaymentView } from '../domain/shop.views';
import { ServiceAnswer, ServiceClient } from './service.client';

/** The shop's APIs the scheduler's jobs use: the only way they touch another service's data. */
@Injectable()
export class ShopServices {
  private readonly orders: ServiceClient;
  private readonly payments: ServiceClient;

  constructor(config: SchedulerConfig) {
    this.orders = new ServiceClient('orders', config.ORDERS_URL, config.UPSTREAM_TIMEOUT_MS);
    this.payments = new ServiceClient('payments', config.PAYMENTS_URL, config.UPSTREAM_TIMEOUT_MS);
  }

  /** GET /orders with filters, one page. */
  async listOrders(
    query: {
      status?: OrderView['status'];
      placedBefore?: Date;
      updatedFrom?: Date;
      updatedBefore?: Date;
      ids?: readonly string[];
      limit?: number;
      after?: string | null;
    },
    signal?: AbortSignal,
  ): Promise<Page<OrderView>> {
    const answer = await this.orders.request<Page<OrderView>>('GET', '/orders', {
      query: {
        status: query.status,
        placedBefore: query.placedBefore?.toISOString(),
        updatedFrom: query.updatedFrom?.toISOString(),
        updatedBefore: query.updatedBefore?.toISOString(),
        ids: query.ids?.join(','),
        limit: query.limit?.toString(),
        after: query.after ?? undefined,
      },
      signal,
    });
    return expectOk(answer, 'orders: GET /orders');
  }

  async order(orderId: string, signal?: AbortSignal): Promise<OrderView | null> {
    const answer = await this.orders.request<OrderView>(
      'GET',
      `/orders/${encodeURIComponent(orderId)}`,
      { signal },
    );
    return answer.status === 404 ? null : expectOk(answer, `orders: GET /orders/${orderId}`);
  }

  /** POST /orders/:id/cancel; the orders service's answer (200, 404, 409...). */
  cancelOrder(
    orderId: string,
    reason: string,
    signal?: AbortSignal,
  ): Promise<ServiceAnswer<unknown>> {
    return this.orders.request('POST', `/orders/${encodeURIComponent(orderId)}/cancel`, {
      body: { reason },
      signal,
    });
  }

  /** GET /payments with filters, one page. */
  async listPayments(
    query: {
      status?: PaymentView['status'];
      createdFrom?: Date;
      createdBefore?: Date;
      orderIds?: readonly string[];
      limit?: number;
      after?: string | null;
    },
    signal?: AbortSignal,
  ): Promise<Page<PaymentView>> {
    const answer = await this.payments.request<Page<PaymentView>>('GET', '/payments', {
      query: {
        status: query.status,
        createdFrom: query.createdFrom?.toISOString(),
        createdBefore: query.createdBefore?.toISOString(),
        orderIds: query.orderIds?.join(','),
        limit: query.limit?.toString(),
        after: query.after ?? undefined,
      },
      signal,
    });
    return expectOk(answer, 'payments: GET /payments');
  }

  async payment(orderId: string, signal?: AbortSignal): Promise<PaymentView | null> {
    const answer = await this.payments.request<PaymentView>(
      'GET',
      `/payments/by-order/${encodeURIComponent(orderId)}`,
      { signal },
    );
    return answer.status === 404
      ? null
      : expectOk(answer, `payments: GET /payments/by-order/${orderId}`);
  }
}

/** A 4xx to a request the scheduler built itself is a bug on one side: trying again will not help. */
function expectOk<T>(answer: ServiceAnswer<T>, what: string): T {
  if (answer.status !== 200)
    throw new NonRetriableError(
      `${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      {
        code: 'upstream.refused',
      },
    );
  return answer.body;
}
