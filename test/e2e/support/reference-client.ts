import { randomUUID } from 'node:crypto';
import { PlatformHandle } from '../../../scripts/start/platform-processes';
import { http, inPool } from './http';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderRequest {
  customerId: string;
  items: OrderLine[];
}

export interface OrderState {
  orderId: string;
  customerId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  cancelReason: string | null;
  items: OrderLine[];
  totalCents: number;
}

export interface CheckoutState {
  orderId: string;
  order: OrderState;
  payment: {
    status: 'AUTHORIZED' | 'FAILED' | 'REFUNDED';
    amountCents: number;
    reason?: string | null;
  } | null;
  stock: { status: 'RESERVED' | 'REJECTED' | 'RELEASED'; reason?: string | null } | null;
  shipment: { status: string; shipmentId?: string } | null;
  unavailable: string[];
}

export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
}

export interface NotificationRow {
  eventId: string;
  eventType: string;
  orderId: string;
  kind: string;
  recipient: string;
}

const FINAL = new Set(['CONFIRMED', 'CANCELLED']);

/** The reference system as a client sees it, with bounded waits that explain themselves. */
export class ReferenceClient {
  constructor(readonly platform: PlatformHandle) {}

  url(app: keyof PlatformHandle['urls']): string {
    const url = this.platform.urls[app];
    if (!url) throw new Error(`${app} is not running in this platform`);
    return url;
  }

  async seedStock(sku: string, available: number): Promise<void> {
    const response = await http(
      'PUT',
      `${this.url('inventory')}/stock/${encodeURIComponent(sku)}`,
      { available },
    );
    if (response.status >= 300)
      throw new Error(
        `PUT /stock/${sku} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
  }

  async stock(sku: string): Promise<StockLevel> {
    const response = await http<StockLevel>(
      'GET',
      `${this.url('inventory')}/stock/${encodeURIComponent(sku)}`,
    );
    if (response.status !== 200)
      throw new Error(
        `GET /stock/${sku} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    return response.body;
  }

  /** Requests of {@link place} that were repeated (a 502, 503, 504 or no answer), over this client's life. */
  retries = 0;

  /**
   * POST /checkout as a careful client does it: with an Idempotency-Key of its own (one per
   * order), repeating the request with the same key after a 502, 503 or 504 (waiting what
   * Retry-After says, at most 5 s) or when no answer came, for up to `patienceMs`. Returns the
   * order id of the 202; any other answer, or no 202 in time, throws.
   */
  async place(
    request: OrderRequest,
    idempotencyKey: string = randomUUID(),
    patienceMs = 120_000,
  ): Promise<string> {
    const deadline = Date.now() + patienceMs;
    for (let attempt = 1; ; attempt++) {
      let outcome: string;
      let waitMs = 1_000;
      try {
        const response = await http<{ orderId: string }>(
          'POST',
          `${this.url('checkout')}/checkout`,
          request,
          { 'idempotency-key': idempotencyKey },
        );
        if (response.status === 202) return response.body.orderId;
        outcome = `answered ${response.status}: ${JSON.stringify(response.body)}`;
        if (![502, 503, 504].includes(response.status))
          throw new Error(`POST /checkout ${outcome}`);
        waitMs = Math.min(5, Number(response.headers.get('retry-after') ?? 1) || 1) * 1_000;
      } catch (error) {
        if ((error as Error).message.startsWith('POST /checkout answered')) throw error;
        outcome = `failed: ${(error as Error).message}`;
      }
      if (Date.now() + waitMs > deadline)
        throw new Error(
          `POST /checkout (Idempotency-Key ${idempotencyKey}) gave no 202 in ${attempt} attempt(s) within ${patienceMs} ms; last ${outcome}`,
        );
      this.retries++;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  async view(orderId: string): Promise<CheckoutState> {
    const response = await http<CheckoutState>(
      'GET',
      `${this.url('checkout')}/checkout/${orderId}`,
    );
    if (response.status !== 200)
      throw new Error(
        `GET /checkout/${orderId} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    return response.body;
  }

  async order(orderId: string): Promise<OrderState> {
    const response = await http<OrderState>('GET', `${this.url('orders')}/orders/${orderId}`);
    if (response.status !== 200)
      throw new Error(
        `GET /orders/${orderId} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    return response.body;
  }

  async notifications(orderId: string): Promise<NotificationRow[]> {
    const response = await http<NotificationRow[]>(
      'GET',
      `${this.url('notifications')}/notifications?orderId=${encodeURIComponent(orderId)}`,
    );
    if (response.status !== 200)
      throw new Error(
        `GET /notifications answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    return response.body;
  }

  /** Polls the checkout view until `done` holds; on timeout the error shows the last view and every app's last log lines. */
  async waitForView(
    orderId: string,
    what: string,
    done: (state: CheckoutState) => boolean,
    timeoutMs = 60_000,
  ): Promise<CheckoutState> {
    return this.poll(`${what} (order ${orderId})`, timeoutMs, async () => {
      const state = await this.view(orderId);
      return { done: done(state), last: state };
    });
  }

  /** Waits until every order is CONFIRMED or CANCELLED (via the orders API); returns them by id. */
  async waitAllFinal(
    orderIds: readonly string[],
    timeoutMs: number,
  ): Promise<Map<string, OrderState>> {
    const finals = new Map<string, OrderState>();
    const lastSeen = new Map<string, string>();
    await this.poll(
      `${orderIds.length} orders to reach a final state`,
      timeoutMs,
      async () => {
        const open = orderIds.filter((id) => !finals.has(id));
        await inPool(open, 25, async (id) => {
          try {
            const order = await this.order(id);
            if (FINAL.has(order.status)) finals.set(id, order);
            else lastSeen.set(id, order.status);
          } catch (error) {
            lastSeen.set(id, (error as Error).message);
          }
        });
        const remaining = orderIds.filter((id) => !finals.has(id));
        const stuck = await Promise.all(
          remaining.slice(0, 3).map((id) => this.view(id).catch((error: Error) => error.message)),
        );
        return {
          done: remaining.length === 0,
          last: {
            final: finals.size,
            remaining: remaining.length,
            byStatus: countBy(remaining.map((id) => lastSeen.get(id) ?? '?')),
            sample: stuck,
          },
        };
      },
      2000,
    );
    return finals;
  }

  /** Polls `check` until it reports done; the failure message carries its last report and the apps' recent logs. */
  async poll<T>(
    what: string,
    timeoutMs: number,
    check: () => Promise<{ done: boolean; last: T }>,
    intervalMs = 250,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown = 'nothing yet';
    for (;;) {
      try {
        const result = await check();
        last = result.last;
        if (result.done) return result.last;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}\nlast seen: ${JSON.stringify(last, null, 1)}\n${this.platform.diagnostics(12)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
