import { Injectable } from '@nestjs/common';
import { NonRetriableError, RetriableError } from '@troupe/messaging';
import { TaskContext, TaskHandler, TaskService, TaskWorker, defineTask } from '@troupe/tasks';
import { waitFor } from '@troupe/testing';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { DomainApp } from '../support/domain-harness';
import {
  TasksSandbox,
  deleteBrokerResources,
  startCustomTasks,
  tasksSandbox,
} from '../support/tasks-harness';

class StepPayload {
  @IsString()
  label!: string;

  @IsOptional()
  @IsBoolean()
  gate?: boolean;
}

const flaky = defineTask({
  name: 'flaky',
  payload: StepPayload,
  options: { maxAttempts: 5, initialBackoffMs: 50, maxBackoffMs: 200 },
});
const broken = defineTask({
  name: 'broken',
  payload: StepPayload,
  options: { maxAttempts: 3, initialBackoffMs: 50, maxBackoffMs: 200 },
});
const invalid = defineTask({ name: 'invalid', payload: StepPayload, options: { maxAttempts: 5 } });
const limited = defineTask({ name: 'limited', payload: StepPayload, options: { concurrency: 2 } });
const step = defineTask({ name: 'step', payload: StepPayload });

/** What the test workers did, in order. */
const seen = { starts: [] as string[], running: 0, maxRunning: 0 };
let openGate: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (openGate = resolve));

@Injectable()
@TaskWorker(flaky)
class FlakyWorker implements TaskHandler<StepPayload> {
  async run(_p: StepPayload, ctx: TaskContext) {
    if (ctx.attempt < 3) throw new RetriableError(`attempt ${ctx.attempt}: the dependency is down`);
    return { attempt: ctx.attempt };
  }
}

@Injectable()
@TaskWorker(broken)
class BrokenWorker implements TaskHandler<StepPayload> {
  async run(_p: StepPayload, ctx: TaskContext): Promise<never> {
    throw new Error(`attempt ${ctx.attempt}: always broken`);
  }
}

@Injectable()
@TaskWorker(invalid)
class InvalidWorker implements TaskHandler<StepPayload> {
  async run(): Promise<never> {
    throw new NonRetriableError('the data cannot work');
  }
}

@Injectable()
@TaskWorker(limited)
class LimitedWorker implements TaskHandler<StepPayload> {
  async run() {
    seen.maxRunning = Math.max(seen.maxRunning, ++seen.running);
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen.running--;
    return null;
  }
}

@Injectable()
@TaskWorker(step)
class StepWorker implements TaskHandler<StepPayload> {
  async run(payload: StepPayload, ctx: TaskContext) {
    if (payload.gate) await gate;
    else seen.starts.push(`${ctx.priority}:${payload.label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return null;
  }
}

const workers = [FlakyWorker, BrokenWorker, InvalidWorker, LimitedWorker, StepWorker];

/** Retries, failures, concurrency limits and priorities of real workers on PostgreSQL and Kafka. */
describe('task workers', () => {
  let config: TasksSandbox;
  let app: DomainApp;
  let tasks: TaskService;

  beforeAll(async () => {
    config = await tasksSandbox();
    app = await startCustomTasks(config, [flaky, broken, invalid, limited, step], workers, {
      concurrency: 4,
      pollIntervalMs: 200,
    });
    tasks = app.app.get(TaskService);
  });

  afterAll(async () => {
    openGate();
    await app?.stop();
    if (config) await deleteBrokerResources(config);
    await config?.dropSchema();
  });

  const submit = async (type: string, label = 'x', priority?: string) => {
    const outcome = await tasks.submit({ type, payload: { label }, priority });
    if (outcome.kind !== 'accepted') throw new Error(JSON.stringify(outcome));
    return outcome.task.id;
  };
  const final = (id: string) =>
    waitFor(
      `task ${id} final`,
      async () => {
        const task = await tasks.get(id);
        return task && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(task.status)
          ? task
          : undefined;
      },
      60_000,
    );
  const outbox = async (id: string) =>
    (
      await app.dataSource.query('SELECT event_type FROM outbox WHERE key = $1 ORDER BY seq', [id])
    ).map((r: { event_type: string }) => r.event_type);

  it('retries a task that fails twice with back-off, then it succeeds with its history', async () => {
    const id = await submit('flaky');
    const task = await final(id);
    expect(task).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 3,
      result: { attempt: 3 },
      error: null,
    });
    expect(task.history.map((h) => h.outcome)).toEqual(['retry', 'retry', 'succeeded']);
    expect(task.history[0].error).toBe('RetriableError: attempt 1: the dependency is down');
    const [first, second] = task.history;
    expect(new Date(second.startedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(first.retryAt!).getTime() - 5,
    );
    expect(await outbox(id)).toEqual(['troupe.tasks.TaskSubmitted', 'troupe.tasks.TaskSucceeded']);
  });

  it('fails a task that always fails after maxAttempts, with every attempt in its history', async () => {
    const id = await submit('broken');
    const task = await final(id);
    expect(task).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      error: 'Error: attempt 3: always broken',
      result: null,
    });
    expect(task.history.map((h) => [h.attempt, h.outcome, h.error])).toEqual([
      [1, 'retry', 'Error: attempt 1: always broken'],
      [2, 'retry', 'Error: attempt 2: always broken'],
      [3, 'failed', 'Error: attempt 3: always broken'],
    ]);
    expect(task.finishedAt).not.toBeNull();
    expect(await outbox(id)).toEqual(['troupe.tasks.TaskSubmitted', 'troupe.tasks.TaskFailed']);
  });

  it('fails at once on a permanent (non-retriable) error', async () => {
    const task = await final(await submit('invalid'));
    expect(task).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: 'NonRetriableError: the data cannot work',
    });
  });

  it('runs no more attempts of a type at once than its concurrency', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => submit('limited', `l${i}`)));
    for (const id of ids) expect((await final(id)).status).toBe('SUCCEEDED');
    expect(seen.maxRunning).toBe(2);
  });

  it('starts high work queued later before normal work queued earlier while the worker is busy, and low work still progresses', async () => {
    // Four gates keep all four slots busy while the backlog is queued.
    const gates = await Promise.all(
      Array.from({ length: 4 }, () =>
        tasks.submit({ type: 'step', payload: { label: 'gate', gate: true } }),
      ),
    );
    await waitFor(
      'the gates running',
      async () =>
        (await tasks.list({ status: 'RUNNING', type: 'step', limit: 10 })).items.length === 4,
    );
    const backlog = await tasks.submitMany([
      ...Array.from({ length: 30 }, (_, i) => ({
        type: 'step',
        payload: { label: `n${i}` },
        priority: 'normal',
      })),
      ...Array.from({ length: 10 }, (_, i) => ({
        type: 'step',
        payload: { label: `h${i}` },
        priority: 'high',
      })),
      ...Array.from({ length: 5 }, (_, i) => ({
        type: 'step',
        payload: { label: `l${i}` },
        priority: 'low',
      })),
    ]);
    if (backlog.kind !== 'accepted') throw new Error('backlog rejected');
    openGate();
    for (const g of gates) if (g.kind === 'accepted') await final(g.task.id);
    for (const task of backlog.tasks) await final(task.id);

    const order = seen.starts;
    expect(order).toHaveLength(45);
    const positions = (p: string) => order.flatMap((s, i) => (s.startsWith(`${p}:`) ? [i] : []));
    const [high, normal, low] = [positions('high'), positions('normal'), positions('low')];
    // Every high task started before more than half of the normal ones, all queued before it.
    expect(Math.max(...high)).toBeLessThan(normal[15]);
    expect(order[0]).toMatch(/^high:/);
    // Low work was not starved: one started while most normal work was still waiting.
    expect(Math.min(...low)).toBeLessThan(normal[20]);
    // Within a priority, first come first served.
    expect(order.filter((s) => s.startsWith('normal:'))).toEqual(
      Array.from({ length: 30 }, (_, i) => `normal:n${i}`),
    );
  });
});
