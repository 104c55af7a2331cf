import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsBoolean,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** The most event ids one trace look-up takes. */
export const TRACE_MAX_EVENT_IDS = 1000;

/** A correlation id in a path: the event id that began the flow, or an id a caller chose. */
export class CorrelationIdParams {
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, {
    message: 'correlationId must be 1-200 letters, digits, ".", "_", ":" or "-"',
  })
  correlationId!: string;
}

export class TraceQuery {
  @ApiPropertyOptional({
    description:
      'Comma-separated event ids of the flow (published elsewhere) whose inbox rows to report.',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsUUID('all', { each: true, message: 'events must be comma-separated event ids (UUIDs)' })
  @ArrayMaxSize(TRACE_MAX_EVENT_IDS)
  events?: string[];
}

/** Flows by an aggregate key (e.g. an order id): the operator knows the key, the trace needs the correlation id. */
export class KeyFlowsQuery {
  @ApiProperty({ description: 'The key of the events (the aggregate id, e.g. an order id).' })
  @Matches(/^[A-Za-z0-9._:@/+=-]{1,200}$/, {
    message: 'key must be 1-200 letters, digits or any of . _ : @ / + = -',
  })
  key!: string;
}

export class OutboxQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** Which quarantined rows to release: some by event id, or all of them. */
export class QuarantineReleaseRequest {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @ArrayNotEmpty({ message: 'ids must not be empty (or send "all": true)' })
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'ids must be event ids (UUIDs)' })
  ids?: string[];

  @ApiPropertyOptional({ description: 'Release every quarantined row.' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}
