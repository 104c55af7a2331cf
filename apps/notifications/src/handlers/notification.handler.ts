import { Injectable } from '@nestjs/common';
import { EventContext, OnEvent } from '@troupe/messaging';
import {
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  PaymentRefunded,
  ShipmentScheduled,
} from '@troupe/schemas';
import { notificationTemplates } from '../domain/notification-templates';
import { CUSTOMER_WAIT_RETRY, Notifier } from '../domain/notifier';
import { NOTIFICATION_GROUPS } from '../notifications.config';

const group = NOTIFICATION_GROUPS.notify;
const retry = CUSTOMER_WAIT_RETRY;

/** One notification per event, in the shared group: each event is notified once per service. */
@Injectable()
export class NotificationHandlers {
  constructor(private readonly notifier: Notifier) {}

  @OnEvent(OrderPlaced, { group })
  async orderPlaced(event: OrderPlaced, ctx: EventContext): Promise<void> {
    await this.notifier.notify(ctx, notificationTemplates.orderPlaced(event));
  }

  @OnEvent(OrderConfirmed, { group, retry })
  async orderConfirmed(event: OrderConfirmed, ctx: EventContext): Promise<void> {
    await this.notifier.notify(
      ctx,
      notificationTemplates.orderConfirmed(
        event,
        await this.notifier.addresseeOf(ctx, event.orderId),
      ),
    );
  }

  @OnEvent(OrderCancelled, { group, retry })
  async orderCancelled(event: OrderCancelled, ctx: EventContext): Promise<void> {
    await this.notifier.notify(
      ctx,
      notificationTemplates.orderCancelled(
        event,
        await this.notifier.addresseeOf(ctx, event.orderId),
      ),
    );
  }

  @OnEvent(PaymentRefunded, { group, retry })
  async paymentRefunded(event: PaymentRefunded, ctx: EventContext): Promise<void> {
    await this.notifier.notify(
      ctx,
      notificationTemplates.paymentRefunded(
        event,
        await this.notifier.addresseeOf(ctx, event.orderId),
      ),
    );
  }

  @OnEvent(ShipmentScheduled, { group, retry })
  async shipmentScheduled(event: ShipmentScheduled, ctx: EventContext): Promise<void> {
    await this.notifier.notify(
      ctx,
      notificationTemplates.shipmentScheduled(
        event,
        await this.notifier.addresseeOf(ctx, event.orderId),
      ),
    );
  }
}
