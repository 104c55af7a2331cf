import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { OrdersConfig } from './orders.config';
import { OrdersModule } from './orders.module';

const config = configOrExit('orders', () => loadConfig(OrdersConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [OrdersModule.forRoot(config)] })
class OrdersApp {}

void runService(OrdersApp, { name: 'orders', port: config.PORT, logLevel: config.LOG_LEVEL });
