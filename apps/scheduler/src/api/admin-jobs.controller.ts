import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminTokenGuard } from '@troupe/messaging';
import { ScheduledJobs } from '@troupe/scheduling';
import { JobNameParams, ListRunsQuery } from './admin.queries';
import { JobViewDto, RunViewDto, TriggeredRunDto } from './job.view';

/** The jobs: their schedules and next firings, history, manual runs, pause and resume. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly jobs: ScheduledJobs) {}

  @Get()
  @ApiOkResponse({ type: [JobViewDto] })
  async list(): Promise<JobViewDto[]> {
    return (await this.jobs.list()).map(JobViewDto.from);
  }

  @Get(':name')
  @ApiOkResponse({ type: JobViewDto })
  @ApiBadRequestResponse({ description: 'Not a job name.' })
  @ApiNotFoundResponse({ description: 'No such job.' })
  async get(@Param() { name }: JobNameParams): Promise<JobViewDto> {
    const job = await this.jobs.get(name);
    if (!job) throw this.unknown(name);
    return JobViewDto.from(job);
  }

  @Get(':name/runs')
  @ApiOkResponse({
    type: [RunViewDto],
    description: 'Newest first; missed firings included (MISSED).',
  })
  @ApiNotFoundResponse({ description: 'No such job.' })
  async runs(
    @Param() { name }: JobNameParams,
    @Query() query: ListRunsQuery,
  ): Promise<RunViewDto[]> {
    const runs = await this.jobs.history(name, query.limit ?? 50);
    if (!runs) throw this.unknown(name);
    return runs.map(RunViewDto.from);
  }

  @Post(':name/trigger')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TriggeredRunDto, description: 'A run started now on this replica.' })
  @ApiNotFoundResponse({ description: 'No such job.' })
  @ApiConflictResponse({ description: 'A run of the job is going.' })
  async trigger(@Param() { name }: JobNameParams): Promise<TriggeredRunDto> {
    const result = await this.jobs.trigger(name);
    if (result.outcome === 'unknown-job') throw this.unknown(name);
    if (result.outcome === 'busy')
      throw new ConflictException(`a run of job ${name} is going; try again when it is done`);
    return { runId: result.run.id, scheduledAt: result.run.scheduledAt.toISOString() };
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiOkResponse({
    type: JobViewDto,
    description: 'Paused: its firings are not run (nor made up later).',
  })
  @ApiNotFoundResponse({ description: 'No such job.' })
  pause(@Param() { name }: JobNameParams): Promise<JobViewDto> {
    return this.setPaused(name, true);
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: JobViewDto, description: 'Resumed from now on.' })
  @ApiNotFoundResponse({ description: 'No such job.' })
  resume(@Param() { name }: JobNameParams): Promise<JobViewDto> {
    return this.setPaused(name, false);
  }

  private async setPaused(name: string, paused: boolean): Promise<JobViewDto> {
    if (!(await this.jobs.setPaused(name, paused))) throw this.unknown(name);
    return JobViewDto.from((await this.jobs.get(name))!);
  }

  private unknown(name: string): NotFoundException {
    return new NotFoundException(`no job named ${name} (jobs: ${this.jobs.names().join(', ')})`);
  }
}
