import { NotificationMessage } from './notification-message';

/**
 * Sends notifications (e-mail, SMS, push...). Contract: `send` resolves once the provider has
 * accepted the message and rejects otherwise. The caller sends inside the transaction that
 * records the notification, so a failed send rolls the record back and the event is retried;
 * a provider may see a message twice if that transaction fails after sending, so providers
 * that take an idempotency key should be given `eventId`.
 */
export abstract class NotificationProvider {
  /** The channel this provider sends on, e.g. `log`, `email`; recorded with each notification. */
  abstract readonly channel: string;

  abstract send(message: NotificationMessage, eventId: string): Promise<void>;
}
