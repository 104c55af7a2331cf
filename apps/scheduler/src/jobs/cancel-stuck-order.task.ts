import { NonRetriableError } from '@troupe/messaging';
import { TaskContext, TaskHandler, TaskRecord, TaskRunner } from '@troupe/scheduling';
import { ShopServices } from '../clients/shop-services.client';
import { SHOP_TASK, TIMEOUT_REASON } from './shop-jobs.names';

/**
 * Asks orders to cancel a stuck order with reason "timeout". Orders decides: 200 it is
 * cancelled (now, or by an earlier attempt: the call is idempotent), 409 it moved on by itself
 * meanwhile (nothing to do, also a success). An unknown order fails the task at once; an
 * unreachable or failing orders service is retried with back-off, at most six attempts.
 */
@TaskHandler({
  type: SHOP_TASK.cancelStuckOrder,
  maxAttempts: 6,
  backoff: { initialDelayMs: 5_000, multiplier: 2, maxDelayMs: 300_000 },
  leaseMs: 30_000,
  timeoutMs: 20_000,
})
export class CancelStuckOrderTask implements TaskRunner<{ orderId: string }> {
  constructor(private readonly shop: ShopServices) {}

  async run(task: TaskRecord<{ orderId: string }>, ctx: TaskContext): Promise<unknown> {
    const { orderId } = task.data;
    const answer = await this.shop.cancelOrder(orderId, TIMEOUT_REASON, ctx.signal);
    const body = answer.body as { status?: string; detail?: string } | null;
    if (answer.status === 200) return { outcome: 'cancelled', status: body?.status };
    if (answer.status === 409) return { outcome: 'not-needed', detail: body?.detail };
    throw new NonRetriableError(
      `orders refused to cancel ${orderId}: ${answer.status} ${body?.detail ?? JSON.stringify(body)}`,
      { code: 'orders.refused' },
    );
  }
}
