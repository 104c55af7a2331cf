import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { TASK_EVENTS, TasksModule } from '@troupe/tasks';
import { DataSource } from 'typeorm';
import { RecordingEmailProvider } from './adapters/recording-email.provider';
import { TaskEventsController } from './api/task-events.controller';
import { TasksController } from './api/tasks.controller';
import { EMAIL_PROVIDER } from './domain/email-provider.port';
import { emailBatchTask } from './domain/email-batch.task';
import { reportTask } from './domain/report.task';
import { tasksDatabaseOptions } from './persistence/tasks-database.options';
import { TasksConfig } from './tasks.config';
import { EmailBatchWorker } from './workers/email-batch.worker';
import { ReportWorker } from './workers/report.worker';

/**
 * Tasks: the web tier accepts tasks (202 + id), stores and announces them in one transaction;
 * workers (this process unless TASKS_ROLE=web, or separate replicas with TASKS_ROLE=worker)
 * run them. The queue machinery is @troupe/tasks; this app holds the API and two example
 * types: a CPU-bound report and a rate-limited e-mail batch.
 */
@Module({})
export class TasksAppModule {
  static forRoot(config: TasksConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    const web = config.TASKS_ROLE !== 'worker';
    const worker = config.TASKS_ROLE !== 'web';
    return {
      module: TasksAppModule,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => tasksDatabaseOptions(config) }),
        TroupeModule.forRoot(
          config.troupeOptions(service, {
            publishes: [...TASK_EVENTS],
            log: jsonLogger(service, config.LOG_LEVEL),
          }),
        ),
        TasksModule.forRoot({
          types: [reportTask(config), emailBatchTask(config)],
          worker: worker && {
            concurrency: config.WORKER_CONCURRENCY,
            pollIntervalMs: config.WORKER_POLL_INTERVAL_MS,
          },
        }),
      ],
      controllers: web ? [TasksController, TaskEventsController] : [],
      providers: [
        { provide: TasksConfig, useValue: config },
        {
          provide: EMAIL_PROVIDER,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new RecordingEmailProvider(ds, config.EMAIL_SEND_LATENCY_MS),
        },
        ...(worker ? [ReportWorker, EmailBatchWorker] : []),
      ],
    };
  }
}
