import 'reflect-metadata';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { NotificationsConfig } from './notifications.config';
import { NotificationsModule } from './notifications.module';

const config = configOrExit('notifications', () => loadConfig(NotificationsConfig));
void runService(NotificationsModule, {
  name: 'notifications',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
});
