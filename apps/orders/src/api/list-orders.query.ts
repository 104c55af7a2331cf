import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { OrderStatus } from '../domain/order-lifecycle.policy';

/** A page cursor: `<created_at with microseconds>_<order id>` of the last order seen. */
export const ORDER_CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Query of GET /orders: every filter optional, oldest first, one page at a time. */
export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ['PENDING', 'CONFIRMED', 'CANCELLED'] })
  @IsOptional()
  @IsIn(['PENDING', 'CONFIRMED', 'CANCELLED'])
  status?: OrderStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Placed at or after this' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Placed before this' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedBefore?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Last changed at or after this (a confirmation or cancellation)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last changed before this' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedBefore?: string;

  @ApiPropertyOptional({ description: 'Only these orders: comma-separated ids, at most 100' })
  @IsOptional()
  @Transform(({ value }) =>
    (Array.isArray(value) ? value : String(value).split(','))
      .map((id: unknown) => String(id).trim())
      .filter((id: string) => id.length > 0),
  )
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @Matches(ORDER_CURSOR, { message: 'after must be the next cursor of a previous page' })
  after?: string;
}
