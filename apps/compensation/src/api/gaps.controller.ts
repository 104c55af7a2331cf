import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '@troupe/messaging';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { GapDetector, GapReport } from '../gaps/gap-detector';

export class GapQuery {
  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'group must be a consumer group name' })
  group?: string;

  /** How far back, ms; default GAP_WINDOW_MS. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(30 * 24 * 3600_000)
  windowMs?: number;

  /** Younger events are not gaps yet, ms; default GAP_GRACE_MS. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 3600_000)
  graceMs?: number;
}

/** Events a group has not applied: found (GET), or found and replayed to it (POST .../replay). */
@ApiTags('compensation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('gaps')
export class GapsController {
  constructor(private readonly gaps: GapDetector) {}

  @Get()
  find(@Query() query: GapQuery): Promise<GapReport> {
    return this.gaps.detect({ ...query, replay: false });
  }

  @Post('replay')
  @HttpCode(200)
  replay(@Body() body: GapQuery): Promise<GapReport> {
    return this.gaps.detect({ ...body, replay: true });
  }
}
