import { randomUUID } from 'node:crypto';
import { LatencyStats } from './latency-stats';
import { DemoCatalog, DemoOrderKind, demoCatalog, demoOrder } from './demo-orders';

export interface TrafficOptions {
  checkoutUrl: string;
  inventoryUrl: string;
  /** Orders placed per second. */
  ratePerSecond: number;
  /** Share of orders built to have their payment declined (0..1). */
  declineShare: number;
  /** Share of orders built to be rejected for stock (0..1). */
  stockShare: number;
  /** The payments service's decline limit (its PAYMENT_DECLINE_ABOVE_CENTS). */
  declineAboveCents: number;
  /** How often in-flight orders are looked at through GET /checkout/:id. Default 200 ms. */
  pollIntervalMs?: number;
  /** Default 5000 ms. */
  requestTimeoutMs?: number;
  /** An order in flight longer than this counts as stuck. Default 30000 ms. */
  stuckAfterMs?: number;
}

export interface TrafficSnapshot {
  elapsedMs: number;
  placed: number;
  confirmed: number;
  cancelled: { payment: number; stock: number; other: number };
  inFlight: number;
  stuck: number;
  /** Orders whose outcome differs from what they were built for. */
  unexpected: number;
  placeErrors: number;
  pollErrors: number;
  lastError?: string;
  latency: { count: number; p50?: number; p95?: number; max?: number };
}

interface InFlight {
  orderId: string;
  kind: DemoOrderKind;
  placedAt: number;
}

interface CheckoutStateBody {
  order: { status: string };
  payment: { status: string } | null;
  stock: { status: string } | null;
}

const MAX_PENDING_POSTS = 200;
const POLL_CONCURRENCY = 16;

/**
 * Places orders through checkout at a steady rate, with a share built to fail payment or
 * stock, and follows each one through GET /checkout/:id until it is CONFIRMED or CANCELLED,
 * measuring placed → final state.
 */
export class TrafficGenerator {
  readonly runId = randomUUID().slice(0, 8);
  readonly catalog: DemoCatalog = demoCatalog(this.runId);
  private readonly inFlight = new Map<string, InFlight>();
  private readonly latency = new LatencyStats();
  private readonly counts = {
    placed: 0,
    confirmed: 0,
    cancelledPayment: 0,
    cancelledStock: 0,
    cancelledOther: 0,
    unexpected: 0,
    placeErrors: 0,
    pollErrors: 0,
  };
  private lastError?: string;
  private startedAt = 0;
  private attempts = 0;
  private pendingPosts = 0;
  private placeTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly options: TrafficOptions) {}

  /** Stocks the run's SKUs: plenty of the regular ones, a little of the scarce one. */
  async seed(): Promise<void> {
    const stock = [
      ...this.catalog.plentiful.map((p) => ({ sku: p.sku, available: 1_000_000 })),
      { sku: this.catalog.scarce.sku, available: this.catalog.scarce.available },
    ];
    for (const { sku, available } of stock) {
      const response = await this.http(
        'PUT',
        `${this.options.inventoryUrl}/stock/${encodeURIComponent(sku)}`,
        { available },
      );
      if (!response.ok)
        throw new Error(
          `seeding stock of ${sku} failed: PUT /stock answered ${response.status}: ${await response.text()}`,
        );
    }
  }

  start(): void {
    this.running = true;
    this.startedAt = Date.now();
    this.placeTimer = setInterval(() => this.placeDue(), 50);
    this.schedulePoll();
  }

  /** Places no more orders; those in flight are still followed. */
  stopPlacing(): void {
    clearInterval(this.placeTimer);
  }

  stop(): void {
    this.running = false;
    clearInterval(this.placeTimer);
    clearTimeout(this.pollTimer);
  }

  snapshot(): TrafficSnapshot {
    const now = Date.now();
    const stuckAfter = this.options.stuckAfterMs ?? 30_000;
    return {
      elapsedMs: this.startedAt ? now - this.startedAt : 0,
      placed: this.counts.placed,
      confirmed: this.counts.confirmed,
      cancelled: {
        payment: this.counts.cancelledPayment,
        stock: this.counts.cancelledStock,
        other: this.counts.cancelledOther,
      },
      inFlight: this.inFlight.size,
      stuck: [...this.inFlight.values()].filter((o) => now - o.placedAt > stuckAfter).length,
      unexpected: this.counts.unexpected,
      placeErrors: this.counts.placeErrors,
      pollErrors: this.counts.pollErrors,
      lastError: this.lastError,
      latency: {
        count: this.latency.count,
        p50: this.latency.percentile(50),
        p95: this.latency.percentile(95),
        max: this.latency.max(),
      },
    };
  }

  /** Places as many orders as the rate says are due by now (steady even when ticks are late). */
  private placeDue(): void {
    const due = Math.floor(((Date.now() - this.startedAt) / 1000) * this.options.ratePerSecond) + 1;
    while (this.attempts < due && this.pendingPosts < MAX_PENDING_POSTS) {
      this.attempts++;
      void this.placeOne();
    }
  }

  private async placeOne(): Promise<void> {
    const order = demoOrder(
      this.catalog,
      { decline: this.options.declineShare, stock: this.options.stockShare },
      this.options.declineAboveCents,
    );
    const placedAt = Date.now();
    this.pendingPosts++;
    try {
      const response = await this.http(
        'POST',
        `${this.options.checkoutUrl}/checkout`,
        { customerId: order.customerId, items: order.items },
        { 'idempotency-key': randomUUID() },
      );
      const body = (await response.json().catch(() => ({}))) as {
        orderId?: string;
        detail?: string;
      };
      if (response.status !== 202 || !body.orderId)
        throw new Error(`POST /checkout answered ${response.status}: ${body.detail ?? ''}`);
      this.counts.placed++;
      this.inFlight.set(body.orderId, { orderId: body.orderId, kind: order.kind, placedAt });
    } catch (error) {
      this.counts.placeErrors++;
      this.lastError = (error as Error).message;
    } finally {
      this.pendingPosts--;
    }
  }

  private schedulePoll(): void {
    if (!this.running) return;
    this.pollTimer = setTimeout(
      () => void this.pollRound().finally(() => this.schedulePoll()),
      this.options.pollIntervalMs ?? 200,
    );
  }

  private async pollRound(): Promise<void> {
    const orders = [...this.inFlight.values()];
    for (let i = 0; i < orders.length && this.running; i += POLL_CONCURRENCY) {
      await Promise.all(orders.slice(i, i + POLL_CONCURRENCY).map((order) => this.look(order)));
    }
  }

  private async look(order: InFlight): Promise<void> {
    let state: CheckoutStateBody;
    try {
      const response = await this.http(
        'GET',
        `${this.options.checkoutUrl}/checkout/${order.orderId}`,
      );
      if (response.status !== 200)
        throw new Error(`GET /checkout/${order.orderId} answered ${response.status}`);
      state = (await response.json()) as CheckoutStateBody;
    } catch (error) {
      this.counts.pollErrors++;
      this.lastError = (error as Error).message;
      return;
    }
    const status = state.order.status;
    if (status !== 'CONFIRMED' && status !== 'CANCELLED') return;
    if (!this.inFlight.delete(order.orderId)) return;
    this.latency.add(Date.now() - order.placedAt);
    if (status === 'CONFIRMED') {
      this.counts.confirmed++;
      if (order.kind !== 'regular') this.counts.unexpected++;
      return;
    }
    const cause =
      state.payment?.status === 'FAILED'
        ? 'payment-decline'
        : state.stock?.status === 'REJECTED'
          ? 'stock-rejection'
          : 'other';
    if (cause === 'payment-decline') this.counts.cancelledPayment++;
    else if (cause === 'stock-rejection') this.counts.cancelledStock++;
    else this.counts.cancelledOther++;
    if (cause !== order.kind) this.counts.unexpected++;
  }

  private http(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 5000),
    });
  }
}
