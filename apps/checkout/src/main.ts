import 'reflect-metadata';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { CheckoutConfig } from './checkout.config';
import { CheckoutModule } from './checkout.module';

const config = configOrExit('checkout', () => loadConfig(CheckoutConfig));
void runService(CheckoutModule, {
  name: 'checkout',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
});
