import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { PaymentStatus } from '../persistence/payment.entity';

/** A page cursor: `<created_at with microseconds>_<payment id>` of the last payment seen. */
export const PAYMENT_CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Query of GET /payments: every filter optional, oldest first, one page at a time. */
export class ListPaymentsQuery {
  @ApiPropertyOptional({ enum: ['AUTHORIZED', 'FAILED', 'REFUNDED'] })
  @IsOptional()
  @IsIn(['AUTHORIZED', 'FAILED', 'REFUNDED'])
  status?: PaymentStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after this' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before this' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdBefore?: string;

  @ApiPropertyOptional({
    description: 'Only the payments of these orders: comma-separated, at most 100',
  })
  @IsOptional()
  @Transform(({ value }) =>
    (Array.isArray(value) ? value : String(value).split(','))
      .map((id: unknown) => String(id).trim())
      .filter((id: string) => id.length > 0),
  )
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  @IsUUID('all', { each: true, message: 'orderIds must be order ids (UUIDs), comma-separated' })
  orderIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @Matches(PAYMENT_CURSOR, { message: 'after must be the next cursor of a previous page' })
  after?: string;
}
