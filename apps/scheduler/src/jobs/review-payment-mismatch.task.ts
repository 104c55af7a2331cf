import { RetriableError } from '@troupe/messaging';
import { TaskContext, TaskHandler, TaskRecord, TaskRunner } from '@troupe/scheduling';
import { ShopServices } from '../clients/shop-services.client';
import { Mismatch, describePair, pairMismatch } from '../domain/reconciliation.policy';
import { SHOP_TASK } from './shop-jobs.names';

/**
 * Checks a reconciliation mismatch again. Resolved (a refund or confirmation arrived late) →
 * SUCCEEDED. Still there → the attempt fails and is tried again after a long back-off; after
 * the third attempt the task is FAILED and waits in the task list for a human (who fixes the
 * payment or order and retries the task to close it).
 */
@TaskHandler({
  type: SHOP_TASK.reviewPaymentMismatch,
  maxAttempts: 3,
  backoff: { initialDelayMs: 15 * 60_000, multiplier: 2, maxDelayMs: 3_600_000 },
  timeoutMs: 30_000,
})
export class ReviewPaymentMismatchTask implements TaskRunner<Mismatch> {
  constructor(private readonly shop: ShopServices) {}

  async run(task: TaskRecord<Mismatch>, ctx: TaskContext): Promise<unknown> {
    const { orderId, kind } = task.data;
    const [order, payment] = await Promise.all([
      this.shop.order(orderId, ctx.signal),
      this.shop.payment(orderId, ctx.signal),
    ]);
    const now = pairMismatch(order, payment);
    const detail = describePair(order, payment);
    if (now === null) return { resolved: true, detail };
    throw new RetriableError(`still mismatched (${now}, found as ${kind}): ${detail}`, {
      code: 'reconciliation.mismatch',
    });
  }
}
