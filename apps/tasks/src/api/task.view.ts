import { ApiProperty } from '@nestjs/swagger';
import { TASK_STATUSES, TaskRecord, TaskStatus, priorityOf } from '@troupe/tasks';

class TaskProgressView {
  @ApiProperty({ minimum: 0, maximum: 100 })
  percent!: number;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

class TaskAttemptView {
  @ApiProperty()
  attempt!: number;

  @ApiProperty()
  worker!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;

  @ApiProperty({ enum: ['succeeded', 'failed', 'retry', 'lease-expired', 'interrupted'] })
  outcome!: string;

  @ApiProperty({ required: false })
  error?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    description: 'When the next attempt may start.',
  })
  retryAt?: string;
}

/** A task as the API shows it. */
export class TaskView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: TaskStatus;

  @ApiProperty({ enum: ['high', 'normal', 'low'] })
  priority!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload!: unknown;

  @ApiProperty({ format: 'date-time' })
  runAt!: string;

  @ApiProperty({ description: 'Attempts started so far.' })
  attempts!: number;

  @ApiProperty()
  maxAttempts!: number;

  @ApiProperty({ type: TaskProgressView, nullable: true })
  progress!: TaskProgressView | null;

  @ApiProperty({ nullable: true, description: 'The handler result (SUCCEEDED).' })
  result!: unknown;

  @ApiProperty({ type: String, nullable: true, description: 'The last error.' })
  error!: string | null;

  @ApiProperty({ type: [TaskAttemptView] })
  history!: TaskAttemptView[];

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  static from(task: TaskRecord): TaskView {
    return {
      id: task.id,
      type: task.type,
      status: task.status,
      priority: priorityOf(task.priority),
      payload: task.payload,
      runAt: task.runAt.toISOString(),
      attempts: task.attempts,
      maxAttempts: task.maxAttempts,
      progress: task.progress && {
        percent: task.progress.percent,
        message: task.progress.message,
        updatedAt: task.progress.at.toISOString(),
      },
      result: task.result,
      error: task.error,
      history: task.history,
      submittedAt: task.submittedAt.toISOString(),
      startedAt: task.startedAt?.toISOString() ?? null,
      finishedAt: task.finishedAt?.toISOString() ?? null,
    };
  }
}

export class TaskPageView {
  @ApiProperty({ type: [TaskView] })
  items!: TaskView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page.' })
  next!: string | null;
}
