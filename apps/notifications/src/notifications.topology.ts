import { ServiceTopology } from '@troupe/messaging';
import { NotificationHandlers } from './handlers/notification.handler';
import { OrderFeedHandlers } from './handlers/order-feed.handler';

/**
 * What notifications handles (it publishes nothing): read by NotificationsModule and by
 * `npm run topology`. Its groups come from NOTIFICATION_GROUPS (defaults unless CONSUMER_GROUP
 * or FEED_GROUP rename them; the generator reads the defaults).
 */
export const notificationsTopology: ServiceTopology = {
  service: 'notifications',
  publishes: [],
  handlers: [NotificationHandlers, OrderFeedHandlers],
};
