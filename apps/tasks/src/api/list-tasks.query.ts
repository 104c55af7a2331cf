import { ApiProperty } from '@nestjs/swagger';
import { TASK_STATUSES, TaskStatus } from '@troupe/tasks';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Query of GET /tasks: filters and a keyset page. */
export class ListTasksQuery {
  @ApiProperty({ required: false, enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiProperty({ required: false, example: 'report' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'type must be a task type name (a-z, 0-9, -)' })
  type?: string;

  @ApiProperty({ required: false, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiProperty({ required: false, format: 'uuid', description: 'The `next` of the previous page.' })
  @IsOptional()
  @IsUUID()
  after?: string;
}
