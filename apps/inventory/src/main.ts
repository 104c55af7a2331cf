import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { InventoryConfig } from './inventory.config';
import { InventoryModule } from './inventory.module';

const config = configOrExit('inventory', () => loadConfig(InventoryConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [InventoryModule.forRoot(config)] })
class InventoryApp {}

void runService(InventoryApp, { name: 'inventory', port: config.PORT, logLevel: config.LOG_LEVEL });
