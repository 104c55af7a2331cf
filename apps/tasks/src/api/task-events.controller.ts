import { Controller, MessageEvent, NotFoundException, Sse } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { TaskService } from '@troupe/tasks';
import { Observable, map } from 'rxjs';
import { TaskView } from './task.view';

@ApiTags('tasks')
@Controller('tasks')
export class TaskEventsController {
  constructor(private readonly tasks: TaskService) {}

  @Sse(':id/events')
  @ApiOperation({
    summary: "A task's status changes and progress (server-sent events), until it is final",
  })
  @ApiOkResponse({
    description:
      'text/event-stream; first the task as it is, then `status` events (status or attempts changed) and `progress` events; data = the task as GET shows it. Ends after SUCCEEDED, FAILED or CANCELLED.',
  })
  @ApiNotFoundResponse({ description: 'No such task.' })
  async stream(@UuidParam('id') id: string): Promise<Observable<MessageEvent>> {
    const changes = await this.tasks.watch(id);
    if (!changes) throw new NotFoundException(`task ${id} not found`);
    let last: string | undefined;
    return changes.pipe(
      map((task) => {
        const status = `${task.status}/${task.attempts}`;
        const type = status === last ? 'progress' : 'status';
        last = status;
        return { type, id: String(task.updatedAt.getTime()), data: TaskView.from(task) };
      }),
    );
  }
}
