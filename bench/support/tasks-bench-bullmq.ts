import {
  Body,
  Controller,
  HttpCode,
  INestApplication,
  Module,
  Post,
  BadRequestException,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ProblemDetailsFilter, troupeValidationPipe } from '@troupe/messaging';
import { Job, Queue, Worker } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SubmitTaskRequest } from '../../apps/tasks/src/api/submit-task.request';
import { BenchPayload } from './tasks-bench-troupe';

/** Where BullMQ's Redis is; the bench uses a key prefix of its own and deletes it at the end. */
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** When each BullMQ job's processor started (performance.now()), for submit → start latency. */
export const bullStarts = new Map<string, number>();

const PRIORITY = { high: 1, normal: 2, low: 3 } as const;

/**
 * The BullMQ side: one queue under a fresh prefix, the same task types (noop, 1 ms sleep) and
 * an HTTP endpoint built like Troupe's (same Nest pipe, same request DTO, the payload checked
 * with class-validator), so the two differ only in how a task is stored and run.
 */
export class BullBench {
  readonly prefix = `troupe-bench-tasks-${randomUUID().slice(0, 8)}`;
  readonly connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  readonly queue: Queue;
  private http?: INestApplication;
  /** Workers' own connections (BullMQ does not close a connection it was given). */
  private readonly workerConnections: IORedis[] = [];

  constructor() {
    this.queue = new Queue('tasks', { connection: this.connection, prefix: this.prefix });
  }

  add(type: string, n: number, priority: keyof typeof PRIORITY = 'normal'): Promise<Job> {
    return this.queue.add(
      type,
      { n },
      priority === 'normal' ? {} : { priority: PRIORITY[priority] },
    );
  }

  addBulk(type: string, from: number, count: number): Promise<Job[]> {
    return this.queue.addBulk(
      Array.from({ length: count }, (_, i) => ({ name: type, data: { n: from + i } })),
    );
  }

  /** A worker with this concurrency; `completed` counts finished jobs. */
  worker(concurrency: number): { worker: Worker; completed: () => number } {
    let completed = 0;
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    this.workerConnections.push(connection);
    const worker = new Worker(
      'tasks',
      async (job) => {
        if (job.name === 'sleep1') await new Promise((resolve) => setTimeout(resolve, 1));
        else if (bullStarts.size < 100_000) bullStarts.set(job.id!, performance.now());
        return null;
      },
      {
        connection: new IORedis(REDIS_URL, { maxRetriesPerRequest: null }),
        prefix: this.prefix,
        concurrency,
      },
    );
    worker.on('completed', () => completed++);
    return { worker, completed: () => completed };
  }

  /** POST /tasks, answering 202 with the job id like Troupe's API. */
  async serveHttp(): Promise<string> {
    const queue = this.queue;
    @Controller('tasks')
    class BullTasksController {
      @Post()
      @HttpCode(202)
      async submit(@Body() body: SubmitTaskRequest) {
        if (body.type !== 'noop' && body.type !== 'sleep1')
          throw new BadRequestException({
            error: 'Bad Request',
            errors: [{ field: 'type', problems: ['unknown'] }],
          });
        const errors = await validate(plainToInstance(BenchPayload, body.payload), {
          whitelist: true,
          forbidNonWhitelisted: true,
        });
        if (errors.length > 0)
          throw new BadRequestException({
            error: 'Bad Request',
            errors: errors.map((e) => ({
              field: `payload.${e.property}`,
              problems: Object.values(e.constraints ?? {}),
            })),
          });
        const job = await queue.add(body.type, body.payload);
        return { id: job.id, status: 'PENDING' };
      }
    }
    @Module({ controllers: [BullTasksController] })
    class BullHttpApp {}
    this.http = await NestFactory.create(BullHttpApp, { logger: ['error', 'warn'] });
    this.http.useGlobalPipes(troupeValidationPipe());
    this.http.useGlobalFilters(new ProblemDetailsFilter());
    await this.http.listen(0, '127.0.0.1');
    return this.http.getUrl();
  }

  /** Empties the queue between runs. */
  async reset(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  async usedMemoryMb(): Promise<number> {
    const info = await this.connection.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 2 ** 20;
  }

  /** Removes every key under the prefix. */
  async close(): Promise<void> {
    await this.http?.close();
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    let cursor = '0';
    do {
      const [next, keys] = await this.connection.scan(
        cursor,
        'MATCH',
        `${this.prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await this.connection.del(...keys);
    } while (cursor !== '0');
    await this.connection.quit();
    for (const connection of this.workerConnections) connection.disconnect();
  }
}
