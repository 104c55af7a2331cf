import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import {
  OrderCancelled,
  OrderConfirmed,
  PaymentFailed,
  ShipmentScheduled,
  StockRejected,
} from '@troupe/schemas';
import { isUUID } from 'class-validator';
import { OrderOutcome, orderTransition } from '../domain/order-lifecycle.policy';
import { Order } from '../persistence/order.entity';

/**
 * Settles orders from what the other services report. The handlers run in the service's own
 * consumer group (CONSUMER_GROUP); the outcomes come from different topics and so may race,
 * hence the row lock: the first outcome decides, later ones find a final order and do nothing.
 */
@Injectable()
export class OrderOutcomeHandler {
  @OnEvent(PaymentFailed, { effects: 'transaction' })
  async paymentFailed(event: PaymentFailed, ctx: EventContext): Promise<void> {
    await this.settle(
      event.orderId,
      { kind: 'cancel', reason: `payment failed: ${event.reason}` },
      ctx,
    );
  }

  @OnEvent(StockRejected, { effects: 'transaction' })
  async stockRejected(event: StockRejected, ctx: EventContext): Promise<void> {
    await this.settle(
      event.orderId,
      { kind: 'cancel', reason: `stock rejected: ${event.reason}` },
      ctx,
    );
  }

  @OnEvent(ShipmentScheduled, { effects: 'transaction' })
  async shipmentScheduled(event: ShipmentScheduled, ctx: EventContext): Promise<void> {
    await this.settle(event.orderId, { kind: 'confirm' }, ctx);
  }

  private async settle(orderId: string, outcome: OrderOutcome, ctx: EventContext): Promise<void> {
    // Not one of ours (orders ids are UUIDs): nothing to settle.
    if (!isUUID(orderId)) return;
    const order = await ctx.tx.findOne(Order, {
      where: { id: orderId },
      lock: { mode: 'pessimistic_write' },
    });
    const next = order && orderTransition(order.status, outcome);
    if (!next) return;
    await ctx.tx.update(
      Order,
      { id: orderId },
      { status: next.status, cancelReason: next.cancelReason },
    );
    await ctx.publish(
      next.status === 'CANCELLED'
        ? OrderCancelled.of({ orderId, reason: next.cancelReason ?? '' })
        : OrderConfirmed.of({ orderId }),
    );
  }
}
