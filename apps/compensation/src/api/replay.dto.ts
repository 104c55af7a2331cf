import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const OFFSET = /^\d{1,19}$/;

export class PartitionRangeDto {
  @IsInt()
  @Min(0)
  partition!: number;

  @Matches(OFFSET, { message: 'from must be an offset (decimal digits)' })
  from!: string;

  /** Exclusive. */
  @Matches(OFFSET, { message: 'to must be an offset (decimal digits)' })
  to!: string;
}

/** What both a replay and a redrive narrow by. */
export class SelectionDto {
  @ApiProperty({ example: 'payments' })
  @Matches(NAME, { message: 'group must be a consumer group name' })
  group!: string;

  @ApiPropertyOptional({ description: 'Broker time, ISO 8601, inclusive.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Broker time, ISO 8601, exclusive.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'eventIds must be event ids (UUIDs)' })
  eventIds?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  key?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[a-zA-Z0-9._-]{1,200}$/, { each: true, message: 'eventTypes must be event type names' })
  eventTypes?: string[];

  @ApiPropertyOptional({ default: false, description: 'Only count: nothing is sent.' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'Events per second; default REPLAY_RATE_PER_SECOND.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ratePerSecond?: number;
}

export class ReplayRequestDto extends SelectionDto {
  @ApiProperty({ example: 'orders.order.events', description: 'A topic the group reads (logical or physical name).' })
  @Matches(NAME, { message: 'topic must be a topic name' })
  topic!: string;

  @ApiPropertyOptional({ description: 'Offsets per partition (to exclusive), instead of a time range.', type: [PartitionRangeDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PartitionRangeDto)
  partitions?: PartitionRangeDto[];

  @ApiPropertyOptional({ enum: ['missed', 'reprocess'], default: 'missed' })
  @IsOptional()
  @IsIn(['missed', 'reprocess'])
  mode?: 'missed' | 'reprocess';
}

export class JobListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
