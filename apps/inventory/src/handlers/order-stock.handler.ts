import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import {
  OrderCancelled,
  OrderPlaced,
  StockRejected,
  StockReleased,
  StockReserved,
} from '@troupe/schemas';
import { decideReservation, demandOf } from '../domain/reservation.policy';
import { Reservation } from '../persistence/reservation.entity';
import { StockLedger } from '../persistence/stock.ledger';

/**
 * Reserves stock for placed orders and releases it for cancelled ones, in the service's own
 * consumer group (CONSUMER_GROUP). Orders for the same SKU arrive on any partition and any
 * replica at once; the stock row locks serialise them, so stock never goes below zero.
 */
@Injectable()
export class OrderStockHandler {
  constructor(private readonly ledger: StockLedger) {}

  @OnEvent(OrderPlaced, { effects: 'transaction' })
  async reserve(event: OrderPlaced, ctx: EventContext): Promise<void> {
    const { orderId } = event;
    // One decision per order, even if the order were announced twice under different event ids.
    if (await ctx.tx.existsBy(Reservation, { orderId })) return;
    const demand = demandOf(event.items);
    const decision = decideReservation(
      demand,
      await this.ledger.lock(
        ctx.tx,
        demand.map((line) => line.sku),
      ),
    );
    if (decision.reserve) {
      await this.ledger.reserve(ctx.tx, demand);
      await ctx.tx.insert(Reservation, {
        orderId,
        status: 'RESERVED',
        items: demand,
        reason: null,
      });
      await ctx.publish(StockReserved.of({ orderId, items: demand }));
    } else {
      await ctx.tx.insert(Reservation, {
        orderId,
        status: 'REJECTED',
        items: demand,
        reason: decision.reason,
      });
      await ctx.publish(StockRejected.of({ orderId, reason: decision.reason, sku: decision.sku }));
    }
  }

  @OnEvent(OrderCancelled, { effects: 'transaction' })
  async release(event: OrderCancelled, ctx: EventContext): Promise<void> {
    const reservation = await ctx.tx.findOne(Reservation, {
      where: { orderId: event.orderId },
      lock: { mode: 'pessimistic_write' },
    });
    // Only held stock goes back; a rejected order reserved nothing, a released one already gave it back.
    if (reservation?.status !== 'RESERVED') return;
    await this.ledger.lock(
      ctx.tx,
      reservation.items.map((line) => line.sku),
    );
    await this.ledger.release(ctx.tx, reservation.items);
    await ctx.tx.update(Reservation, { orderId: event.orderId }, { status: 'RELEASED' });
    await ctx.publish(StockReleased.of({ orderId: event.orderId, items: reservation.items }));
  }
}
