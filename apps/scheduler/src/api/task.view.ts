import { ApiProperty } from '@nestjs/swagger';
import type { TaskAttempt, TaskRecord } from '@troupe/scheduling';

/** One attempt in a task's processing history. */
export class TaskAttemptDto {
  @ApiProperty()
  attempt!: number;

  @ApiProperty({ description: 'The replica that ran it' })
  runner!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'LEASE_EXPIRED'] })
  outcome!: string;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;

  static from(attempt: TaskAttempt): TaskAttemptDto {
    return {
      attempt: attempt.attempt,
      runner: attempt.runner,
      startedAt: attempt.startedAt.toISOString(),
      finishedAt: attempt.finishedAt?.toISOString() ?? null,
      outcome: attempt.outcome,
      error: attempt.error,
    };
  }
}

/** A task as the admin API shows it (the history only on GET /admin/tasks/:id). */
export class TaskViewDto {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty({ nullable: true, type: String })
  externalRef!: string | null;

  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ description: 'The task is FAILED once attempts reaches this' })
  maxAttempts!: number;

  @ApiProperty({ format: 'date-time' })
  nextAttemptAt!: string;

  @ApiProperty({ nullable: true, type: String })
  lastError!: string | null;

  @ApiProperty({ type: Object })
  data!: unknown;

  @ApiProperty({ nullable: true, type: Object })
  result!: unknown;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: [TaskAttemptDto], required: false })
  history?: TaskAttemptDto[];

  static from(task: TaskRecord, history?: TaskAttempt[]): TaskViewDto {
    return {
      taskId: task.id,
      type: task.type,
      externalRef: task.externalRef,
      status: task.status,
      attempts: task.attempts,
      maxAttempts: task.maxAttempts,
      nextAttemptAt: task.nextAttemptAt.toISOString(),
      lastError: task.lastError,
      data: task.data,
      result: task.result,
      createdAt: task.createdAt.toISOString(),
      updatedAt: task.updatedAt.toISOString(),
      ...(history ? { history: history.map(TaskAttemptDto.from) } : {}),
    };
  }
}
