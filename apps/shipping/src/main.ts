import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { ShippingConfig } from './shipping.config';
import { ShippingModule } from './shipping.module';

const config = configOrExit('shipping', () => loadConfig(ShippingConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [ShippingModule.forRoot(config)] })
class ShippingApp {}

void runService(ShippingApp, { name: 'shipping', port: config.PORT, logLevel: config.LOG_LEVEL });
