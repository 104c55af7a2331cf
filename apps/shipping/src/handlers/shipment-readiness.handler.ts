import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import { PaymentAuthorized, ShipmentScheduled, StockReserved } from '@troupe/schemas';
import { randomUUID } from 'node:crypto';
import { shouldSchedule } from '../domain/shipment.policy';
import { Shipment } from '../persistence/shipment.entity';

/**
 * Notes that an order's payment is authorized or its stock reserved, and schedules the shipment
 * when both are. The two events come on different topics, so they may be handled at the same
 * time (other partitions, other replicas): the upsert locks the order's row, so the second
 * transaction waits for the first and sees its flag; exactly one of them schedules.
 */
@Injectable()
export class ShipmentReadinessHandler {
  @OnEvent(PaymentAuthorized, { effects: 'transaction' })
  async paymentAuthorized(event: PaymentAuthorized, ctx: EventContext): Promise<void> {
    await this.see(event.orderId, 'paymentSeen', ctx);
  }

  @OnEvent(StockReserved, { effects: 'transaction' })
  async stockReserved(event: StockReserved, ctx: EventContext): Promise<void> {
    await this.see(event.orderId, 'stockSeen', ctx);
  }

  private async see(
    orderId: string,
    flag: 'paymentSeen' | 'stockSeen',
    ctx: EventContext,
  ): Promise<void> {
    const column = flag === 'paymentSeen' ? 'payment_seen' : 'stock_seen';
    await ctx.tx
      .createQueryBuilder()
      .insert()
      .into(Shipment)
      .values({
        orderId,
        status: 'WAITING',
        shipmentId: null,
        paymentSeen: flag === 'paymentSeen',
        stockSeen: flag === 'stockSeen',
      })
      .orUpdate([column, 'updated_at'], ['order_id'])
      .execute();
    const readiness = await ctx.tx.findOneByOrFail(Shipment, { orderId });
    if (!shouldSchedule(readiness)) return;
    const shipmentId = randomUUID();
    await ctx.tx.update(Shipment, { orderId }, { status: 'SCHEDULED', shipmentId });
    await ctx.publish(ShipmentScheduled.of({ orderId, shipmentId }));
  }
}
