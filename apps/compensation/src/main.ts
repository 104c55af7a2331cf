import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { CompensationConfig } from './compensation.config';
import { CompensationModule } from './compensation.module';

const config = configOrExit('compensation', () => loadConfig(CompensationConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [CompensationModule.forRoot(config)] })
class CompensationApp {}

void runService(CompensationApp, {
  name: 'compensation',
  port: config.PORT,
  logLevel: config.LOG_LEVEL,
});
