import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { SchedulerConfig } from './scheduler.config';
import { SchedulerModule } from './scheduler.module';

const config = configOrExit('scheduler', () => loadConfig(SchedulerConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [SchedulerModule.forRoot(config)] })
class SchedulerApp {}

void runService(SchedulerApp, { name: 'scheduler', port: config.PORT, logLevel: config.LOG_LEVEL });
