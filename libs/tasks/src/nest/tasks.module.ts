import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxWriter, READINESS_CHECKS } from '@troupe/messaging';
import { TroupeMetrics } from '@troupe/observability';
import { DataSource } from 'typeorm';
import { TaskMetrics } from '../metrics/task-metrics';
import { TaskService } from '../service/task.service';
import { TaskWatcher } from '../service/task-watcher';
import { TaskStore } from '../store/task.store';
import {
  TASKS_MODULE_OPTIONS,
  TasksModuleOptions,
  resolveSubmissionLimits,
} from './tasks-module.options';
import { TasksRunner } from './tasks.runner';

/**
 * Web-queue-worker for one service: TaskService (submit, get, list, cancel, watch) for its
 * controllers, and a worker that runs the @TaskWorker providers. Needs TroupeModule (outbox,
 * transport, metrics) and the service's TypeORM DataSource with TASK_MIGRATIONS. Global, so
 * the service's controllers can inject TaskService.
 */
@Module({})
export class TasksModule {
  static forRoot(options: TasksModuleOptions): DynamicModule {
    const types = new Map(options.types.map((t) => [t.name, t]));
    if (types.size !== options.types.length)
      throw new Error('tasks option types lists a task type name twice');
    const limits = resolveSubmissionLimits(options.submissions);
    return {
      module: TasksModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: TASKS_MODULE_OPTIONS, useValue: options },
        {
          provide: TaskStore,
          inject: [DataSource, OutboxWriter],
          useFactory: (ds: DataSource, outbox: OutboxWriter) => new TaskStore(ds, outbox),
        },
        {
          provide: TaskMetrics,
          inject: [TroupeMetrics, TaskStore],
          useFactory: (metrics: TroupeMetrics, store: TaskStore) =>
            new TaskMetrics(metrics.registry, () => store.snapshot()),
        },
        {
          provide: TaskWatcher,
          inject: [TaskStore],
          useFactory: (store: TaskStore) => new TaskWatcher(store, options.watchIntervalMs ?? 250),
        },
        {
          provide: TaskService,
          inject: [TaskStore, TaskMetrics, TaskWatcher],
          useFactory: (store: TaskStore, metrics: TaskMetrics, watcher: TaskWatcher) =>
            new TaskService(store, types, limits, metrics, watcher),
        },
        TasksRunner,
        {
          provide: READINESS_CHECKS,
          inject: [TasksRunner],
          useFactory: (runner: TasksRunner) => [runner],
        },
      ],
      exports: [TaskService, TaskMetrics, READINESS_CHECKS],
    };
  }
}
