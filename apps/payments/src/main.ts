import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { PaymentsConfig } from './payments.config';
import { PaymentsModule } from './payments.module';

const config = configOrExit('payments', () => loadConfig(PaymentsConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [PaymentsModule.forRoot(config)] })
class PaymentsApp {}

void runService(PaymentsApp, { name: 'payments', port: config.PORT, logLevel: config.LOG_LEVEL });
