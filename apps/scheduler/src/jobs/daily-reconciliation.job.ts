import { JobContext, JobHandler, ScheduledJob, TaskQueue } from '@troupe/scheduling';
import { ShopServices } from '../clients/shop-services.client';
import { MISMATCH_KINDS, reconcile } from '../domain/reconciliation.policy';
import type { OrderView, Page, PaymentView } from '../domain/shop.views';
import { SchedulerConfig } from '../scheduler.config';
import { SHOP_JOB, SHOP_TASK } from './shop-jobs.names';

const PAGE_SIZE = 500;
const LOOKUP_BATCH = 100;
/** Mismatches logged one by one per run; the rest are in the tasks and the metric. */
const LOGGED_MISMATCHES = 50;

/**
 * Compares the payments authorized and the orders confirmed in the RECONCILIATION_WINDOW_H
 * hours before its firing with their counterparts, through the two services' APIs. Every
 * mismatch is logged, counted (troupe_scheduler_job_findings{finding="mismatch:<kind>"}) and
 * becomes a review-payment-mismatch task that checks it again later: what was only in flight
 * resolves itself, what stays wrong ends FAILED in the task list for a human. A missed day is
 * made up (back-fill, up to three days).
 */
@ScheduledJob({
  name: SHOP_JOB.dailyReconciliation,
  cron: '0 30 2 * * *',
  zone: 'UTC',
  timeoutMs: 10 * 60_000,
  misfire: { policy: 'backfill', limit: 3 },
  description: 'Authorized payments against confirmed orders; mismatches reported',
})
export class DailyReconciliationJob implements JobHandler {
  constructor(
    private readonly shop: ShopServices,
    private readonly tasks: TaskQueue,
    private readonly config: SchedulerConfig,
  ) {}

  async run(ctx: JobContext): Promise<void> {
    const to = ctx.scheduledAt;
    const from = new Date(to.getTime() - this.config.RECONCILIATION_WINDOW_H * 3600_000);
    const signal = ctx.signal;
    const authorized = await all((after) =>
      this.shop.listPayments(
        { status: 'AUTHORIZED', createdFrom: from, createdBefore: to, limit: PAGE_SIZE, after },
        signal,
      ),
    );
    const confirmed = await all((after) =>
      this.shop.listOrders(
        { status: 'CONFIRMED', updatedFrom: from, updatedBefore: to, limit: PAGE_SIZE, after },
        signal,
      ),
    );
    const orders = new Map<string, OrderView>(confirmed.map((o) => [o.orderId, o]));
    for (const ids of batches(authorized.map((p) => p.orderId).filter((id) => !orders.has(id)))) {
      const found = await this.shop.listOrders(
        { ids: ids.filter(isUuid), limit: LOOKUP_BATCH },
        signal,
      );
      for (const order of found.items) orders.set(order.orderId, order);
    }
    const payments = new Map<string, PaymentView>(authorized.map((p) => [p.orderId, p]));
    for (const ids of batches(confirmed.map((o) => o.orderId).filter((id) => !payments.has(id)))) {
      const found = await this.shop.listPayments({ orderIds: ids, limit: LOOKUP_BATCH }, signal);
      for (const payment of found.items) payments.set(payment.orderId, payment);
    }
    const result = reconcile(authorized, confirmed, orders, payments);

    ctx.report('mismatches', result.mismatches.length);
    for (const kind of MISMATCH_KINDS)
      ctx.report(`mismatch:${kind}`, result.mismatches.filter((m) => m.kind === kind).length);
    ctx.report('payments-checked', result.checkedPayments);
    ctx.report('orders-checked', result.checkedOrders);
    ctx.report('in-flight', result.inFlight);
    const reviewAt = new Date(Date.now() + this.config.RECONCILIATION_REVIEW_DELAY_S * 1000);
    for (const [i, mismatch] of result.mismatches.entries()) {
      if (i < LOGGED_MISMATCHES)
        ctx.log(
          'warn',
          `reconciliation mismatch ${mismatch.kind} for order ${mismatch.orderId}: ${mismatch.detail}`,
          {
            ...mismatch,
          },
        );
      await this.tasks.enqueue({
        type: SHOP_TASK.reviewPaymentMismatch,
        externalRef: `${mismatch.kind}:${mismatch.orderId}`,
        data: {
          ...mismatch,
          window: { from: from.toISOString(), to: to.toISOString() },
          foundBy: ctx.runId,
        },
        runAt: reviewAt,
      });
    }
    ctx.log(
      result.mismatches.length > 0 ? 'warn' : 'info',
      `reconciliation ${from.toISOString()} – ${to.toISOString()}: ${result.checkedPayments} authorized payments, ${result.checkedOrders} confirmed orders, ${result.mismatches.length} mismatch(es), ${result.inFlight} in flight`,
    );
  }
}

/** Every page of a list API, in order. */
async function all<T>(page: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  do {
    const next = await page(after);
    items.push(...next.items);
    after = next.next;
  } while (after);
  return items;
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += LOOKUP_BATCH) out.push(items.slice(i, i + LOOKUP_BATCH));
  return out;
}

/** Orders ids are UUIDs; a payment for anything else has no order by construction. */
function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
