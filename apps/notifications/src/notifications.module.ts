import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule, loadConfig, serviceDatabaseOptions } from '@troupe/messaging';
import { LoggingNotificationProvider } from './adapters/logging-notification.provider';
import { FeedController } from './api/feed.controller';
import { NotificationsController } from './api/notifications.controller';
import { NotificationProvider } from './domain/notification-provider.port';
import { Notifier } from './domain/notifier';
import { OrderFeed } from './domain/order-feed';
import { NotificationsConfig } from './notifications.config';
import { notificationsTopology } from './notifications.topology';
import { NotificationRecord } from './persistence/notification.entity';
import { NotificationsTables1733000000000 } from './persistence/notifications-tables.migration';
import { NotificationRepository } from './persistence/notification.repository';

/** The validated settings, injectable (main.ts has validated them once already). */
@Global()
@Module({
  providers: [{ provide: NotificationsConfig, useFactory: () => loadConfig(NotificationsConfig) }],
  exports: [NotificationsConfig],
})
class NotificationsConfigModule {}

/**
 * Notifications: a foundation service that reacts to events of every domain. It records one
 * notification per event (sent through the {@link NotificationProvider} port) and serves a live
 * feed of order status changes to every replica's SSE clients.
 */
@Module({
  imports: [
    NotificationsConfigModule,
    TypeOrmModule.forRootAsync({
      inject: [NotificationsConfig],
      useFactory: (config: NotificationsConfig) =>
        serviceDatabaseOptions({
          url: config.DATABASE_URL,
          schema: 'notifications',
          entities: [NotificationRecord],
          migrations: [NotificationsTables1733000000000],
          poolSize: config.DATABASE_POOL_SIZE,
        }),
    }),
    TypeOrmModule.forFeature([NotificationRecord]),
    TroupeModule.forRootAsync({
      inject: [NotificationsConfig],
      // Publishes nothing, so no relay.
      useFactory: (config: NotificationsConfig) =>
        config.troupeOptions(notificationsTopology.service, {
          relay: false,
          publishes: notificationsTopology.publishes,
        }),
    }),
  ],
  controllers: [NotificationsController, FeedController],
  providers: [
    { provide: NotificationProvider, useClass: LoggingNotificationProvider },
    Notifier,
    NotificationRepository,
    OrderFeed,
    ...notificationsTopology.handlers,
  ],
})
export class NotificationsModule {}
