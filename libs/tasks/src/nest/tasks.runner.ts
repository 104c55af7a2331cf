import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { OutboxWriter, ReadinessCheck, TroupeRuntime } from '@troupe/messaging';
import { TaskSubmitted } from '@troupe/schemas';
import * as os from 'node:os';
import { DataSource } from 'typeorm';
import type { TaskHandler } from '../definition/task-context';
import type { TaskType } from '../definition/task-type';
import { TASK_WORKER } from '../definition/task-worker.decorator';
import { TaskMetrics } from '../metrics/task-metrics';
import { TaskWatcher } from '../service/task-watcher';
import { workerGroupOf } from '../task-names';
import { resolveWorkerOptions } from '../tasks.options';
import { TaskWorker } from '../worker/task-worker';
import { TASKS_MODULE_OPTIONS, TasksModuleOptions } from './tasks-module.options';

/**
 * Finds the @TaskWorker providers at bootstrap and runs this replica's worker (unless the
 * module says worker: false); stops it before the rest of the application (onModuleDestroy),
 * so outcomes are stored while the database and the outbox are still there.
 */
@Injectable()
export class TasksRunner implements OnApplicationBootstrap, OnModuleDestroy, ReadinessCheck {
  readonly name = 'task-worker';
  private worker?: TaskWorker;

  constructor(
    @Inject(TASKS_MODULE_OPTIONS) private readonly options: TasksModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly runtime: TroupeRuntime,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly metrics: TaskMetrics,
    private readonly watcher: TaskWatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.worker === false) return;
    const workerOptions = resolveWorkerOptions(
      this.options.worker ?? {},
      `${os.hostname()}-${process.pid}`,
    );
    const handlers = this.handlers();
    const { service, topics, log } = this.runtime.options;
    this.worker = new TaskWorker(workerOptions, {
      dataSource: this.dataSource,
      outbox: this.outbox,
      transport: this.runtime.transport,
      wakeUps: {
        topic: this.runtime.topicOf(TaskSubmitted.topic),
        partitions: topics.partitions,
        group: workerGroupOf(service),
      },
      handlers,
      metrics: this.metrics,
      consumerMetrics: this.runtime.metrics,
      log: (level, message, extra) => log(level, message, extra),
    });
    const worker = this.worker;
    // After TroupeModule's start-up: the DataSource and Kafka may still be awaited.
    await this.runtime.afterStart(() => worker.start());
  }

  isReady(): boolean {
    return this.options.worker === false || this.worker?.isReady() === true;
  }

  async onModuleDestroy(): Promise<void> {
    this.watcher.close();
    await this.worker?.stop();
  }

  private handlers(): Map<string, { type: TaskType; handler: TaskHandler }> {
    const found = new Map<string, { type: TaskType; handler: TaskHandler }>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as TaskHandler | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const name = Reflect.getMetadata(TASK_WORKER, wrapper.metatype) as string | undefined;
      if (!name) continue;
      const type = this.options.types.find((t) => t.name === name);
      if (!type)
        throw new Error(
          `@TaskWorker('${name}') ${wrapper.name}: no such type in the tasks module's types`,
        );
      if (found.has(name)) throw new Error(`task type ${name} has two @TaskWorker providers`);
      if (typeof instance.run !== 'function')
        throw new Error(`@TaskWorker('${name}') ${wrapper.name} has no run(payload, ctx) method`);
      found.set(name, { type, handler: instance });
    }
    const missing = this.options.types.filter((t) => !found.has(t.name)).map((t) => t.name);
    if (missing.length > 0)
      throw new Error(
        `task type(s) ${missing.join(', ')} have no @TaskWorker provider (or run this replica with worker: false)`,
      );
    return found;
  }
}
