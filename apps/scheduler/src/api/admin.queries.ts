import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** A job name in a path: the format every job name has. */
export class JobNameParams {
  @Matches(/^[a-z0-9][a-z0-9._-]{0,99}$/, {
    message: 'name must be a job name (lower-case letters, digits, ".", "_", "-")',
  })
  name!: string;
}

export class ListRunsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** Filters of GET /admin/tasks; newest first. */
export class ListTasksQuery {
  @ApiPropertyOptional({ example: 'cancel-stuck-order' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'type must be a task type' })
  type?: string;

  @ApiPropertyOptional({ enum: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] })
  @IsOptional()
  @IsIn(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'])
  status?: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

  @ApiPropertyOptional({ description: 'What the task is about, e.g. an order id or kind:orderId' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, {
    message: 'externalRef must be a reference: letters, digits and . _ : @ / -',
  })
  externalRef?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Created before this (the createdAt of the last task of the previous page)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdBefore?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
