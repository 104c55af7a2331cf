import { IsInt, Matches, Max, Min } from 'class-validator';
import { PlatformEnv } from '@troupe/messaging';

const GROUP_NAME = /^[a-zA-Z0-9._-]+$/;

/**
 * The consumer groups of the handlers. @OnEvent fixes its group when the handler class is
 * defined, i.e. when main.ts imports the module and before it loads {@link NotificationsConfig},
 * so these two settings are read here; NotificationsConfig validates the same variables at
 * start-up, so a bad value still stops the service with a message naming it.
 */
export const NOTIFICATION_GROUPS = {
  /** Records and sends notifications; all replicas share it. */
  notify: process.env.CONSUMER_GROUP || 'notifications',
  /** Feeds /feed; broadcast, so every replica's feed sees every event. */
  feed: process.env.FEED_GROUP || 'notifications-feed',
} as const;

/** Settings of the notifications service (environment variables of the same names). */
export class NotificationsConfig extends PlatformEnv {
  override PORT = 3005;

  /** Connections of the service's pool. Default 5: a handler transaction per partition in work, and the API. */
  @IsInt()
  @Min(2)
  @Max(100)
  DATABASE_POOL_SIZE: number = 5;

  /** The group of the recording handlers. Default `notifications`. */
  @Matches(GROUP_NAME, { message: 'must be a group name of letters, digits, ".", "_" or "-"' })
  CONSUMER_GROUP = 'notifications';

  /** The declared group of the broadcast feed handlers (each replica adds its instance id). Default `notifications-feed`. */
  @Matches(GROUP_NAME, { message: 'must be a group name of letters, digits, ".", "_" or "-"' })
  FEED_GROUP = 'notifications-feed';

  /** Most rows GET /notifications returns. Default 500. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  NOTIFICATIONS_PAGE_LIMIT: number = 500;
}
