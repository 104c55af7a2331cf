import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Post,
  Query,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { TaskRecord, TaskService } from '@troupe/tasks';
import type { Response } from 'express';
import { ListTasksQuery } from './list-tasks.query';
import { SubmitTaskRequest } from './submit-task.request';
import { TaskPageView, TaskView } from './task.view';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Post()
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Repeating a submission with the same key returns the same task (202, Idempotent-Replayed: true) and stores nothing new.',
  })
  @ApiAcceptedResponse({
    type: TaskView,
    description: 'Stored and queued; Location names the task, Retry-After says when to look.',
  })
  @ApiBadRequestResponse({
    description:
      'Unknown type, payload not matching its type, priority or runAt out of range (problem+json naming the fields).',
  })
  @ApiUnprocessableEntityResponse({
    description: 'The Idempotency-Key was used for a different submission.',
  })
  async submit(
    @Body() body: SubmitTaskRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskView> {
    const outcome = await this.tasks.submit({ ...body, idempotencyKey });
    if (outcome.kind === 'invalid')
      throw new BadRequestException({ error: 'Bad Request', errors: outcome.errors });
    if (outcome.kind === 'key-reused')
      throw new UnprocessableEntityException(
        'Idempotency-Key was already used for a different task',
      );
    const { task, created } = outcome;
    response.location(`/tasks/${task.id}`);
    response.setHeader('Retry-After', String(retryAfterSeconds(task)));
    if (!created) response.setHeader('Idempotent-Replayed', 'true');
    return TaskView.from(task);
  }

  @Get()
  @ApiOkResponse({ type: TaskPageView, description: 'Newest first.' })
  async list(@Query() query: ListTasksQuery): Promise<TaskPageView> {
    const page = await this.tasks.list({
      status: query.status,
      type: query.type,
      limit: query.limit ?? 20,
      after: query.after,
    });
    return { items: page.items.map(TaskView.from), next: page.next };
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskView })
  @ApiNotFoundResponse({ description: 'No such task.' })
  async get(@UuidParam('id') id: string): Promise<TaskView> {
    const task = await this.tasks.get(id);
    if (!task) throw new NotFoundException(`task ${id} not found`);
    return TaskView.from(task);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskView, description: 'The task is CANCELLED.' })
  @ApiNotFoundResponse({ description: 'No such task.' })
  @ApiConflictResponse({
    description: 'The task is not PENDING (running or finished): it cannot be cancelled.',
  })
  async cancel(@UuidParam('id') id: string): Promise<TaskView> {
    const outcome = await this.tasks.cancel(id);
    if (!outcome) throw new NotFoundException(`task ${id} not found`);
    if (!outcome.cancelled)
      throw new ConflictException(
        `task ${id} is ${outcome.task.status}; only PENDING tasks can be cancelled`,
      );
    return TaskView.from(outcome.task);
  }
}

/** When a client should look again: when a delayed task is due, else in a second. */
function retryAfterSeconds(task: TaskRecord): number {
  return Math.max(1, Math.ceil((task.runAt.getTime() - Date.now()) / 1000));
}
