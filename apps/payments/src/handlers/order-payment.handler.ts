import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import {
  OrderCancelled,
  OrderPlaced,
  PaymentAuthorized,
  PaymentFailed,
  PaymentRefunded,
} from '@troupe/schemas';
import { randomUUID } from 'node:crypto';
import { BankGateway } from '../domain/bank-gateway.port';
import { Payment } from '../persistence/payment.entity';

/**
 * Pays for placed orders and refunds cancelled ones, in the service's own consumer group
 * (CONSUMER_GROUP). Both events of an order share its topic and key, so they arrive in order.
 */
@Injectable()
export class OrderPaymentHandler {
  constructor(private readonly bank: BankGateway) {}

  // Effects 'external' (the default): the bank call is outside the transaction, so this handler
  // gets a savepoint per event and never runs again after it succeeded for a delivery.
  @OnEvent(OrderPlaced)
  async authorize(event: OrderPlaced, ctx: EventContext): Promise<void> {
    // One payment per order, even if the order were announced twice under different event ids.
    if (await ctx.tx.existsBy(Payment, { orderId: event.orderId })) return;
    const result = await this.bank.authorize({
      orderId: event.orderId,
      amountCents: event.totalCents,
    });
    const payment = ctx.tx.create(Payment, {
      id: randomUUID(),
      orderId: event.orderId,
      status: result.approved ? 'AUTHORIZED' : 'FAILED',
      amountCents: event.totalCents,
      reason: result.approved ? null : result.reason,
    });
    await ctx.tx.insert(Payment, payment);
    await ctx.publish(
      result.approved
        ? PaymentAuthorized.of({
            orderId: payment.orderId,
            paymentId: payment.id,
            amountCents: payment.amountCents,
          })
        : PaymentFailed.of({ orderId: payment.orderId, reason: result.reason }),
    );
  }

  @OnEvent(OrderCancelled, { effects: 'transaction' })
  async refund(event: OrderCancelled, ctx: EventContext): Promise<void> {
    const payment = await ctx.tx.findOne(Payment, {
      where: { orderId: event.orderId },
      lock: { mode: 'pessimistic_write' },
    });
    // Only an authorized payment has money to give back; a failed one never took any.
    if (payment?.status !== 'AUTHORIZED') return;
    await ctx.tx.update(Payment, { id: payment.id }, { status: 'REFUNDED' });
    await ctx.publish(
      PaymentRefunded.of({
        orderId: payment.orderId,
        paymentId: payment.id,
        amountCents: payment.amountCents,
      }),
    );
  }
}
