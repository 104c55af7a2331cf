import { Injectable } from '@nestjs/common';
import { LogFunction, jsonLogger } from '@troupe/observability';
import { NotificationMessage } from '../domain/notification-message';
import { NotificationProvider } from '../domain/notification-provider.port';

/** A provider that "sends" by writing one log line per notification: the local stand-in for e-mail. */
@Injectable()
export class LoggingNotificationProvider extends NotificationProvider {
  readonly channel = 'log';
  private readonly log: LogFunction = jsonLogger('notifications');

  async send(message: NotificationMessage, eventId: string): Promise<void> {
    this.log('info', `notification to ${message.recipient}: ${message.subject}`, {
      channel: this.channel,
      eventId,
      kind: message.kind,
      orderId: message.orderId,
    });
  }
}
