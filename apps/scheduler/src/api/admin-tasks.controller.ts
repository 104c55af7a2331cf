import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminTokenGuard, UuidParam } from '@troupe/messaging';
import { TaskQueue } from '@troupe/scheduling';
import { ListTasksQuery } from './admin.queries';
import { TaskViewDto } from './task.view';

/** The task table: filtered lists, one task with its history, and retrying a FAILED task. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('admin/tasks')
export class AdminTasksController {
  constructor(private readonly tasks: TaskQueue) {}

  @Get()
  @ApiOkResponse({ type: [TaskViewDto], description: 'Newest first.' })
  @ApiBadRequestResponse({ description: 'A filter is invalid (problem+json naming it).' })
  async list(@Query() query: ListTasksQuery): Promise<TaskViewDto[]> {
    const tasks = await this.tasks.list({
      type: query.type,
      status: query.status,
      externalRef: query.externalRef,
      createdBefore: query.createdBefore ? new Date(query.createdBefore) : undefined,
      limit: query.limit ?? 100,
    });
    return tasks.map((task) => TaskViewDto.from(task));
  }

  @Get(':taskId')
  @ApiOkResponse({ type: TaskViewDto, description: 'With its history, one entry per attempt.' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such task.' })
  async get(@UuidParam('taskId') taskId: string): Promise<TaskViewDto> {
    const task = await this.tasks.get(taskId);
    if (!task) throw new NotFoundException(`no task ${taskId}`);
    return TaskViewDto.from(task, await this.tasks.history(taskId));
  }

  @Post(':taskId/retry')
  @HttpCode(200)
  @ApiOkResponse({
    type: TaskViewDto,
    description: 'PENDING again, with its type’s maximum of attempts once more.',
  })
  @ApiBadRequestResponse({ description: 'The id is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such task.' })
  @ApiConflictResponse({ description: 'The task is not FAILED.' })
  async retry(@UuidParam('taskId') taskId: string): Promise<TaskViewDto> {
    const result = await this.tasks.retry(taskId);
    if (result.outcome === 'not-found') throw new NotFoundException(`no task ${taskId}`);
    if (result.outcome === 'not-failed')
      throw new ConflictException(
        `task ${taskId} is ${result.task.status}; only a FAILED task can be retried`,
      );
    return TaskViewDto.from(result.task, await this.tasks.history(taskId));
  }
}
