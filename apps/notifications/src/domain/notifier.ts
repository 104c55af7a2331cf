import { Injectable } from '@nestjs/common';
import { EventContext, RetriableError } from '@troupe/messaging';
import { randomUUID } from 'node:crypto';
import { NotificationRecord } from '../persistence/notification.entity';
import { NotificationRepository } from '../persistence/notification.repository';
import { NotificationMessage } from './notification-message';
import { NotificationProvider } from './notification-provider.port';
import { customerRecipient, orderRecipient } from './notification-templates';

/** Attempts before a notification goes to the order instead of its customer (see {@link CUSTOMER_WAIT_RETRY}). */
export const CUSTOMER_WAIT_ATTEMPTS = 4;

/**
 * Retry policy of handlers that may wait for a customer: waits of 1–2 s, 2–4 s, 4–8 s (7–14 s
 * in all), each longer than the platform's in-place limit (1 s by default), so a waiting event
 * is parked and the partition moves on; a few more attempts for other transient failures.
 */
export const CUSTOMER_WAIT_RETRY = {
  initialDelayMs: 2_000,
  multiplier: 2,
  maxAttempts: CUSTOMER_WAIT_ATTEMPTS + 3,
};

/**
 * Sends a notification and records it, once per event: the row is written in the handler's
 * transaction (with the inbox row), keyed by the event id, and the provider is called only
 * when that row is new; a failed send rolls the row back. A redelivered event finds its inbox
 * row and never gets here; the unique event id guards the table even so.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly provider: NotificationProvider,
    private readonly repository: NotificationRepository,
  ) {}

  /**
   * Who notifications about an order go to: the customer its OrderPlaced named. Events of other
   * topics can overtake OrderPlaced (partitions are consumed in parallel), so while the customer
   * is unknown the event is retried a few times (see {@link CUSTOMER_WAIT_RETRY}); after
   * that (e.g. the order predates this service) the notification goes to the order itself.
   */
  async addresseeOf(
    ctx: EventContext,
    orderId: string,
  ): Promise<Pick<NotificationMessage, 'customerId' | 'recipient'>> {
    const customerId = await this.repository.customerOf(ctx.tx, orderId);
    if (customerId) return { customerId, recipient: customerRecipient(customerId) };
    if (ctx.attempt < CUSTOMER_WAIT_ATTEMPTS)
      throw new RetriableError(
        `the customer of order ${orderId} is not known yet (its OrderPlaced is not handled yet)`,
        { code: 'customer-unknown' },
      );
    return { customerId: null, recipient: orderRecipient(orderId) };
  }

  async notify(ctx: EventContext, message: NotificationMessage): Promise<void> {
    const record = Object.assign(new NotificationRecord(), {
      id: randomUUID(),
      eventId: ctx.eventId,
      eventType: ctx.eventType,
      orderId: message.orderId,
      customerId: message.customerId,
      kind: message.kind,
      recipient: message.recipient,
      channel: this.provider.channel,
      subject: message.subject,
      body: message.body,
      occurredAt: ctx.occurredAt,
      sentAt: new Date(),
    });
    if (await this.repository.insertOnce(ctx.tx, record))
      await this.provider.send(message, ctx.eventId);
  }
}
