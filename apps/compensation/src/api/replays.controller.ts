import { Body, Controller, Get, HttpCode, NotFoundException, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard, UuidParam } from '@troupe/messaging';
import { ReplayJob, ReplayJobStore } from '../replay/replay-job.store';
import { ReplayOutcome, ReplayService } from '../replay/replay.service';
import { JobListQuery, ReplayRequestDto } from './replay.dto';

/** Replays to one consumer group: dry run, start (a job), progress. */
@ApiTags('compensation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('replays')
export class ReplaysController {
  constructor(
    private readonly replays: ReplayService,
    private readonly jobs: ReplayJobStore,
  ) {}

  /** 200 with the counts for a dry run; 202 with the job otherwise. */
  @Post()
  @HttpCode(200)
  async create(@Body() body: ReplayRequestDto): Promise<ReplayOutcome> {
    return this.replays.replay({ ...body, mode: body.mode ?? 'missed', dryRun: body.dryRun ?? false });
  }

  @Get()
  list(@Query() query: JobListQuery): Promise<ReplayJob[]> {
    return this.jobs.list(query.limit ?? 20, 'replay');
  }

  @Get(':id')
  async get(@UuidParam('id') id: string): Promise<ReplayJob> {
    const job = await this.jobs.get(id);
    if (!job) throw new NotFoundException(`no replay or redrive ${id}`);
    return job;
  }
}
