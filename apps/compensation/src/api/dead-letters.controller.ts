import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '@troupe/messaging';
import { DeadLetterListing, DeadLettersService, RedriveOutcome } from '../dead-letters/dead-letters.service';
import { ReplayJob, ReplayJobStore } from '../replay/replay-job.store';
import { DeadLetterQuery, RedriveRequestDto } from './dead-letters.dto';
import { JobListQuery } from './replay.dto';

/** A group's dead letters (decoded, grouped by error code and type) and their redrive to that group. */
@ApiTags('compensation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller()
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly jobs: ReplayJobStore,
  ) {}

  @Get('dead-letters')
  list(@Query() q: DeadLetterQuery): Promise<DeadLetterListing> {
    return this.deadLetters.list(
      { group: q.group, errorCodes: q.code, eventTypes: q.type, eventIds: q.eventId ? [q.eventId] : undefined, key: q.key, from: q.from, to: q.to },
      q.limit ?? 100,
    );
  }

  /** 200 with the counts for a dry run, or with the started job. */
  @Post('redrives')
  @HttpCode(200)
  redrive(@Body() body: RedriveRequestDto): Promise<RedriveOutcome> {
    return this.deadLetters.redrive({ ...body, all: body.all ?? false, dryRun: body.dryRun ?? false });
  }

  @Get('redrives')
  listJobs(@Query() query: JobListQuery): Promise<ReplayJob[]> {
    return this.jobs.list(query.limit ?? 20, 'redrive');
  }
}
