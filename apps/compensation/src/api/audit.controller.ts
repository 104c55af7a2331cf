import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '@troupe/messaging';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AuditEntry, AuditLog } from '../audit/audit-log';

export class AuditQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'group must be a consumer group name' })
  group?: string;

  @IsOptional()
  @IsIn(['replay', 'redrive'])
  action?: 'replay' | 'redrive';
}

/** The audit of replays and redrives, newest first. */
@ApiTags('compensation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  list(@Query() query: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.list({ limit: query.limit ?? 50, group: query.group, action: query.action });
  }
}
