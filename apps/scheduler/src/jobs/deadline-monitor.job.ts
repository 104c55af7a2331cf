import { JobContext, JobHandler, ScheduledJob, TaskQueue } from '@troupe/scheduling';
import { ShopServices } from '../clients/shop-services.client';
import { SchedulerConfig } from '../scheduler.config';
import { SHOP_JOB, SHOP_TASK } from './shop-jobs.names';

/** Pages of stuck orders one run goes through at most; the next run carries on. */
const MAX_PAGES = 20;
const PAGE_SIZE = 200;

/**
 * The choreography's deadline: an order still PENDING ORDER_PENDING_TIMEOUT_S after it was
 * placed (a service never answered, an event was lost) gets a cancel-stuck-order task. The
 * task asks orders to cancel it; the refund and the stock release follow by events, as for any
 * cancellation. One task per order ever (the task's reference is the order id), so a stuck
 * order found on every run is asked about once, retried with back-off, and if orders keeps
 * refusing, left FAILED for a human.
 */
@ScheduledJob({
  name: SHOP_JOB.deadlineMonitor,
  cron: '*/30 * * * * *',
  timeoutMs: 25_000,
  misfire: { policy: 'fire-once' },
  description: 'Cancels orders still PENDING after ORDER_PENDING_TIMEOUT_S (reason "timeout")',
})
export class DeadlineMonitorJob implements JobHandler {
  constructor(
    private readonly shop: ShopServices,
    private readonly tasks: TaskQueue,
    private readonly config: SchedulerConfig,
  ) {}

  async run(ctx: JobContext): Promise<void> {
    const placedBefore = new Date(Date.now() - this.config.ORDER_PENDING_TIMEOUT_S * 1000);
    let after: string | null = null;
    let stuck = 0;
    let created = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const orders = await this.shop.listOrders(
        { status: 'PENDING', placedBefore, limit: PAGE_SIZE, after },
        ctx.signal,
      );
      for (const order of orders.items) {
        stuck++;
        const task = await this.tasks.enqueue({
          type: SHOP_TASK.cancelStuckOrder,
          externalRef: order.orderId,
          data: { orderId: order.orderId, placedAt: order.createdAt },
        });
        if (task.created) created++;
      }
      after = orders.next;
      if (!after) break;
    }
    ctx.report('stuck-orders', stuck);
    ctx.report('cancellations-requested', created);
    if (created > 0)
      ctx.log(
        'info',
        `${created} order(s) PENDING since before ${placedBefore.toISOString()}: cancellation requested`,
        {
          stuck,
          created,
        },
      );
  }
}
