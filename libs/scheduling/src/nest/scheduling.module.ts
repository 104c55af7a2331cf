import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TroupeMetrics } from '@troupe/observability';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { JobRunStore } from '../jobs/job-run.store';
import { JobScheduler } from '../jobs/job-scheduler';
import { ScheduledJobs } from '../jobs/scheduled-jobs';
import { SchedulingMetrics } from '../metrics/scheduling-metrics';
import {
  ResolvedSchedulingOptions,
  SchedulingOptions,
  resolveSchedulingOptions,
} from '../scheduling.options';
import { TaskQueue } from '../tasks/task-queue';
import { TaskWorker } from '../tasks/task-worker';
import { TaskStore } from '../tasks/task.store';
import { SchedulingExplorer } from './scheduling.explorer';
import { SCHEDULING_OPTIONS } from './scheduling.tokens';

export interface SchedulingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => SchedulingOptions | Promise<SchedulingOptions>;
}

/**
 * Scheduled jobs and the task table for one NestJS service. Global, so jobs and controllers can
 * inject {@link TaskQueue} and {@link ScheduledJobs}. Uses the application's default TypeORM
 * DataSource (add SCHEDULING_MIGRATIONS to its migrations) and, when TroupeModule is there, the
 * service's metrics registry.
 */
@Module({})
export class SchedulingModule {
  static forRoot(options: SchedulingOptions = {}): DynamicModule {
    return SchedulingModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: SchedulingModuleAsyncOptions): DynamicModule {
    return {
      module: SchedulingModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: SCHEDULING_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) =>
            resolveSchedulingOptions(await options.useFactory(...args)),
        },
        {
          provide: SchedulingMetrics,
          inject: [{ token: TroupeMetrics, optional: true }],
          useFactory: (troupe?: TroupeMetrics) =>
            new SchedulingMetrics(troupe?.registry ?? new Registry()),
        },
        {
          provide: JobRunStore,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new JobRunStore(ds),
        },
        {
          provide: TaskStore,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new TaskStore(ds),
        },
        {
          provide: JobScheduler,
          inject: [JobRunStore, SchedulingMetrics, SCHEDULING_OPTIONS, TaskStore],
          useFactory: (
            runs: JobRunStore,
            metrics: SchedulingMetrics,
            o: ResolvedSchedulingOptions,
            tasks: TaskStore,
          ) => new JobScheduler(runs, metrics, o, () => tasks.prune(o.historyRetentionMs)),
        },
        {
          provide: TaskWorker,
          inject: [DataSource, TaskStore, SchedulingMetrics, SCHEDULING_OPTIONS],
          useFactory: (
            ds: DataSource,
            tasks: TaskStore,
            metrics: SchedulingMetrics,
            o: ResolvedSchedulingOptions,
          ) => new TaskWorker(ds, tasks, metrics, o),
        },
        {
          provide: TaskQueue,
          inject: [DataSource, TaskStore],
          useFactory: (ds: DataSource, tasks: TaskStore) => new TaskQueue(ds, tasks),
        },
        {
          provide: ScheduledJobs,
          inject: [JobRunStore, JobScheduler],
          useFactory: (runs: JobRunStore, scheduler: JobScheduler) =>
            new ScheduledJobs(runs, scheduler),
        },
        SchedulingExplorer,
      ],
      exports: [TaskQueue, ScheduledJobs, SchedulingMetrics, SCHEDULING_OPTIONS],
    };
  }
}
