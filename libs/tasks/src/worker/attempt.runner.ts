import { isRetriable } from '@troupe/schemas';
import type { TaskContext, TaskHandler } from '../definition/task-context';
import { LeaseLostError } from '../definition/lease-lost.error';
import type { TaskType } from '../definition/task-type';
import { AttemptEnd, nextAfterAttempt } from '../policy/attempt-outcome.policy';
import type { RateLimiter } from '../rate/rate-limiter';
import type { ClaimedTask, TaskClaims } from '../store/task-claims';
import type { AttemptRecord } from '../store/task-outcomes';
import { priorityOf } from '../task-priority';

/** One running attempt: its task, its type and how to stop it. */
export interface RunningAttempt {
  task: ClaimedTask;
  type: TaskType;
  controller: AbortController;
  startedAt: Date;
  /** Set when the worker stops it: the attempt ends as interrupted, whatever the handler does. */
  interrupted: boolean;
}

/**
 * Runs one attempt of a claimed task and says how it ended, as the record to store. The
 * handler's context writes progress fenced by the attempt, and shares the type's rate limit.
 */
export class AttemptRunner {
  constructor(
    private readonly workerId: string,
    private readonly claims: TaskClaims,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async run(attempt: RunningAttempt, handler: TaskHandler): Promise<AttemptRecord> {
    const { task, type } = attempt;
    let end: AttemptEnd;
    let resultJson: string | null = null;
    try {
      const result = await handler.run(task.payload, this.context(attempt));
      resultJson = JSON.stringify(result ?? null);
      if (Buffer.byteLength(resultJson) > type.options.maxResultBytes) {
        end = {
          kind: 'failed',
          error: `the result is larger than maxResultBytes (${type.options.maxResultBytes})`,
          retriable: false,
        };
        resultJson = null;
      } else end = { kind: 'succeeded' };
    } catch (error) {
      end = { kind: 'failed', error: describe(error), retriable: isRetriable(error) };
    }
    if (attempt.interrupted) end = { kind: 'interrupted' };
    const next = nextAfterAttempt(task.attempt, end, {
      ...type.options,
      maxAttempts: task.maxAttempts,
    });
    const finishedAt = new Date();
    return {
      id: task.id,
      attempt: task.attempt,
      claimedBy: this.workerId,
      next,
      resultJson: next.status === 'SUCCEEDED' ? resultJson : null,
      entry: {
        attempt: task.attempt,
        worker: this.workerId,
        startedAt: attempt.startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        outcome:
          end.kind === 'succeeded'
            ? 'succeeded'
            : end.kind === 'interrupted'
              ? 'interrupted'
              : next.status === 'PENDING'
                ? 'retry'
                : 'failed',
        ...(end.kind === 'failed' ? { error: end.error } : {}),
        ...(next.status === 'PENDING' && end.kind !== 'interrupted'
          ? { retryAt: new Date(finishedAt.getTime() + next.retryInMs).toISOString() }
          : {}),
      },
    };
  }

  private context(attempt: RunningAttempt): TaskContext {
    const { task, type, controller } = attempt;
    return {
      taskId: task.id,
      type: task.type,
      priority: priorityOf(task.priority),
      attempt: task.attempt,
      maxAttempts: task.maxAttempts,
      checkpoint: task.checkpoint,
      signal: controller.signal,
      progress: async (percent, message, checkpoint) => {
        if (!Number.isFinite(percent) || percent < 0 || percent > 100)
          throw new RangeError(`progress percent must be 0 to 100, got ${percent}`);
        const text = message === undefined ? null : message.replaceAll('\u0000', '').slice(0, 500);
        const held = await this.claims.progress(
          task.id,
          task.attempt,
          Math.round(percent),
          text,
          checkpoint,
        );
        if (!held) {
          controller.abort(new LeaseLostError(task.id));
          throw new LeaseLostError(task.id);
        }
      },
      rateLimit: async (units = 1) => {
        if (!type.options.rateLimit)
          throw new Error(`task type ${type.name} declares no rateLimit`);
        await this.rateLimiter.take(
          `type:${type.name}`,
          units,
          type.options.rateLimit,
          controller.signal,
        );
      },
    };
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replaceAll('\u0000', '').slice(0, 2000);
}
