import { Controller, Get, Inject, Optional, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AdminTokenGuard } from '../http-service-kit/admin-token.guard';
import { TroupeRuntime } from '../troupe.runtime';
import { CorrelationIdParams, KeyFlowsQuery, TraceQuery } from './admin.requests';
import { KeyFlowsView, ServiceTraceView } from './admin.views';
import { ServiceTraceReader } from './service-trace.reader';

/**
 * This service's part of one flow, for the compensation app's `troupe trace`: what it published
 * with the correlation id, which of the flow's events its groups handled and when, and what of
 * the flow waits in its parking lot. Only ids, types, times and errors; never payloads.
 */
@ApiTags('troupe-admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('troupe/admin/trace')
export class TraceAdminController {
  private readonly reader: ServiceTraceReader;

  constructor(runtime: TroupeRuntime, @Optional() @Inject(DataSource) dataSource?: DataSource) {
    this.reader = new ServiceTraceReader(runtime, dataSource);
  }

  @Get()
  @ApiOkResponse({
    description: 'The flows in which this service published events of the key, newest first.',
  })
  flows(@Query() { key }: KeyFlowsQuery): Promise<KeyFlowsView> {
    return this.reader.flowsOfKey(key);
  }

  @Get(':correlationId')
  @ApiOkResponse({
    description: 'The service answers for itself; empty lists when it saw nothing of the flow.',
  })
  trace(
    @Param() { correlationId }: CorrelationIdParams,
    @Query() query: TraceQuery,
  ): Promise<ServiceTraceView> {
    return this.reader.read(correlationId, query.events ?? []);
  }
}
