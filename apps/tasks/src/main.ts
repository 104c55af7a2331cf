import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { configOrExit, loadConfig, runService } from '@troupe/messaging';
import { TasksConfig } from './tasks.config';
import { TasksAppModule } from './tasks.module';

const config = configOrExit('tasks', () => loadConfig(TasksConfig));

/** runService takes a module class, so the configured module is imported by one. */
@Module({ imports: [TasksAppModule.forRoot(config)] })
class TasksApp {}

void runService(TasksApp, { name: 'tasks', port: config.PORT, logLevel: config.LOG_LEVEL });
