import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Optional,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OutboxQuarantine, measureOutboxBacklog } from '@troupe/outbox';
import { DataSource } from 'typeorm';
import { AdminTokenGuard } from '../http-service-kit/admin-token.guard';
import { TroupeRuntime } from '../troupe.runtime';
import { OutboxQuery, QuarantineReleaseRequest } from './admin.requests';
import { OutboxAdminView, QuarantineReleaseView } from './admin.views';

/** Release of every quarantined row goes through at most this many at a time (OutboxQuarantine.list). */
const RELEASE_ALL_BATCH = 10_000;

/**
 * The service's outbox as an operator needs it: how much waits and for how long, which rows the
 * relay quarantined and why, and their release once the cause is fixed (the relay publishes a
 * released row next, then the rows of its key behind it; an unfixed cause quarantines it again).
 */
@ApiTags('troupe-admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@ApiNotFoundResponse({ description: 'The service has no outbox (no DataSource).' })
@UseGuards(AdminTokenGuard)
@Controller('troupe/admin/outbox')
export class OutboxAdminController {
  constructor(
    private readonly runtime: TroupeRuntime,
    @Optional() @Inject(DataSource) private readonly dataSource?: DataSource,
  ) {}

  @Get()
  @ApiOkResponse({
    description: 'Backlog, age of the oldest unpublished row, quarantined rows with their reason.',
  })
  async view(@Query() query: OutboxQuery): Promise<OutboxAdminView> {
    const db = this.outbox();
    const [backlog, rows] = await Promise.all([
      measureOutboxBacklog(db),
      OutboxQuarantine.list(db, query.limit ?? 100),
    ]);
    return {
      service: this.runtime.options.service,
      unpublished: backlog.pending,
      oldestUnpublishedAgeSeconds: Math.round(backlog.oldestPendingAgeSeconds * 1000) / 1000,
      quarantined: backlog.quarantined,
      quarantinedRows: rows.map((r) => ({
        eventId: r.id,
        eventType: r.eventType,
        topic: r.topic,
        key: r.key,
        quarantinedAt: r.quarantinedAt.toISOString(),
        reason: r.reason,
        attempts: r.attempts,
      })),
    };
  }

  @Post('quarantine/release')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'How many quarantined rows were put back in line (ids not quarantined are ignored).',
  })
  async release(@Body() request: QuarantineReleaseRequest): Promise<QuarantineReleaseView> {
    if (request.all === true && request.ids)
      throw new BadRequestException('send either "ids" or "all": true, not both');
    if (request.all !== true && !request.ids)
      throw new BadRequestException(
        'the selection is empty: send "ids" (event ids of quarantined rows) or "all": true',
      );
    const db = this.outbox();
    const ids =
      request.ids ?? (await OutboxQuarantine.list(db, RELEASE_ALL_BATCH)).map((r) => r.id);
    const released = await OutboxQuarantine.release(db, ids);
    return { service: this.runtime.options.service, released };
  }

  private outbox(): DataSource {
    if (!this.dataSource)
      throw new NotFoundException(`service ${this.runtime.options.service} has no outbox`);
    return this.dataSource;
  }
}
