import type { LogFunction } from '@troupe/observability';
import type { EntityManager } from 'typeorm';
import type { AttemptOutcome, TaskStatus } from './task-definition';

/** A task as the table holds it. */
export interface TaskRecord<D = Record<string, unknown>> {
  id: string;
  type: string;
  /** What the task is about (an order id...); unique per type when set. */
  externalRef: string | null;
  status: TaskStatus;
  /** Attempts started so far (the running one included). */
  attempts: number;
  /** The task is FAILED once attempts reaches this. */
  maxAttempts: number;
  nextAttemptAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  data: D;
  result: unknown;
  createdAt: Date;
  updatedAt: Date;
}

/** One attempt in a task's processing history. */
export interface TaskAttempt {
  attempt: number;
  runner: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: AttemptOutcome;
  error: string | null;
}

/** What one attempt of a task knows about itself. */
export interface TaskContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * The same for every attempt of the task: send it to the services you call (Idempotency-Key),
   * so an attempt repeated after a runner died does not repeat the effect.
   */
  readonly idempotencyKey: string;
  /** Aborted on timeout, when this runner lost its lease, or when the scheduler stops. */
  readonly signal: AbortSignal;
  /**
   * Runs `work` in a transaction that also marks the task SUCCEEDED. Its writes (outbox events
   * included) commit together with the success, exactly once: if this runner has lost the task
   * meanwhile, the transaction rolls back and nothing of it is kept.
   */
  succeedWith<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
  /** The scheduler's log, with the task id and type added. */
  readonly log: LogFunction;
}

/**
 * Runs one attempt of a task. Return a result (kept as the task's `result`) to succeed; throw
 * to fail the attempt: a retriable error (any error except a TroupeError with retriable=false)
 * is retried after the back-off until the type's maximum, a non-retriable one fails the task.
 */
export interface TaskRunner<D = Record<string, unknown>> {
  run(task: TaskRecord<D>, context: TaskContext): Promise<unknown>;
}
