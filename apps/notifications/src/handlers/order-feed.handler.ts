import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import { OrderCancelled, OrderConfirmed, OrderPlaced } from '@troupe/schemas';
import { OrderFeed } from '../domain/order-feed';
import { OrderStatusChange } from '../domain/order-status-change';
import { NOTIFICATION_GROUPS } from '../notifications.config';

const options = { group: NOTIFICATION_GROUPS.feed, delivery: 'broadcast' } as const;

/**
 * Feeds /feed. Broadcast: every replica has its own group and sees every order event, so a
 * client connected to any replica sees every change. No transaction and no inbox: the feed is
 * live and keeps nothing.
 */
@Injectable()
export class OrderFeedHandlers {
  constructor(private readonly feed: OrderFeed) {}

  @OnEvent(OrderPlaced, options)
  placed(event: OrderPlaced, ctx: EventContext): void {
    this.feed.publish(change(ctx, event.orderId, 'PLACED'));
  }

  @OnEvent(OrderConfirmed, options)
  confirmed(event: OrderConfirmed, ctx: EventContext): void {
    this.feed.publish(change(ctx, event.orderId, 'CONFIRMED'));
  }

  @OnEvent(OrderCancelled, options)
  cancelled(event: OrderCancelled, ctx: EventContext): void {
    this.feed.publish({ ...change(ctx, event.orderId, 'CANCELLED'), reason: event.reason });
  }
}

function change(
  ctx: EventContext,
  orderId: string,
  status: OrderStatusChange['status'],
): OrderStatusChange {
  return { orderId, status, eventId: ctx.eventId, occurredAt: ctx.occurredAt.toISOString() };
}
