import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { TroupeRuntime } from '@troupe/messaging';
import { JobCatalog, DiscoveredJob } from '../jobs/job-catalog';
import type { JobHandler } from '../jobs/job-context';
import type { JobDefinition } from '../jobs/job-definition';
import { JobRunStore } from '../jobs/job-run.store';
import { JobScheduler } from '../jobs/job-scheduler';
import { SCHEDULED_JOB } from '../jobs/scheduled-job.decorator';
import { ScheduledJobs } from '../jobs/scheduled-jobs';
import { readSchedulingSnapshot } from '../metrics/scheduling-snapshot';
import { SchedulingMetrics } from '../metrics/scheduling-metrics';
import type { ResolvedSchedulingOptions } from '../scheduling.options';
import { DiscoveredTaskType, TaskCatalog } from '../tasks/task-catalog';
import type { TaskRunner } from '../tasks/task-context';
import type { TaskTypeDefinition } from '../tasks/task-definition';
import { TASK_HANDLER } from '../tasks/task-handler.decorator';
import { TaskQueue } from '../tasks/task-queue';
import { TaskWorker } from '../tasks/task-worker';
import { TaskStore } from '../tasks/task.store';
import { SCHEDULING_OPTIONS } from './scheduling.tokens';

/**
 * Finds the @ScheduledJob and @TaskHandler providers when the module initialises and validates
 * them (a bad one stops start-up, naming it); starts the scheduler and the task worker once the
 * application has booted, and stops both before the application's other shutdown hooks, so the
 * database closes last.
 */
@Injectable()
export class SchedulingExplorer
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private jobs?: JobCatalog;
  private taskTypes?: TaskCatalog;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Inject(SCHEDULING_OPTIONS) private readonly options: ResolvedSchedulingOptions,
    private readonly scheduler: JobScheduler,
    private readonly worker: TaskWorker,
    private readonly queue: TaskQueue,
    private readonly scheduledJobs: ScheduledJobs,
    private readonly runs: JobRunStore,
    private readonly tasks: TaskStore,
    private readonly metrics: SchedulingMetrics,
    @Optional() private readonly troupe?: TroupeRuntime,
  ) {}

  onModuleInit(): void {
    const jobs: DiscoveredJob[] = [];
    const taskTypes: DiscoveredTaskType[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const type = instance.constructor;
      const job = this.reflector.get<JobDefinition | undefined>(SCHEDULED_JOB, type);
      if (job)
        jobs.push({ definition: job, handler: instance as JobHandler, declaredBy: type.name });
      const task = this.reflector.get<TaskTypeDefinition | undefined>(TASK_HANDLER, type);
      if (task)
        taskTypes.push({ definition: task, runner: instance as TaskRunner, declaredBy: type.name });
    }
    this.jobs = new JobCatalog(jobs, this.options.schedules);
    this.taskTypes = new TaskCatalog(taskTypes);
    this.queue.use(this.taskTypes);
    this.queue.onCreated(() => this.worker.wake());
    this.scheduledJobs.use(this.jobs);
    const [jobCatalog, typeCatalog] = [this.jobs, this.taskTypes];
    this.metrics.observe(() =>
      readSchedulingSnapshot(jobCatalog, typeCatalog, this.runs, this.tasks),
    );
  }

  /** With TroupeModule, after its start-up (which may still be waiting for PostgreSQL). */
  async onApplicationBootstrap(): Promise<void> {
    if (this.troupe) await this.troupe.afterStart(() => this.start());
    else await this.start();
  }

  private async start(): Promise<void> {
    this.worker.start(this.taskTypes!);
    await this.scheduler.start(this.jobs!);
    this.options.log(
      'info',
      `scheduler ${this.options.replicaId} started: jobs ${this.jobs!.names().join(', ') || 'none'}; task types ${this.taskTypes!.names().join(', ') || 'none'}`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.worker.stop();
  }
}
