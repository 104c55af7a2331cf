import { ApiProperty } from '@nestjs/swagger';
import { defineTask } from '@troupe/tasks';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { TasksConfig } from '../tasks.config';

/** Payload of a `report` task: a sales summary per region over generated sales rows. */
export class ReportPayload {
  @ApiProperty({ example: 'Q3 sales', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiProperty({
    minimum: 1,
    maximum: 2_000_000,
    example: 200_000,
    description: 'Sales rows to aggregate (the CPU work).',
  })
  @IsInt()
  @Min(1)
  @Max(2_000_000)
  rows!: number;

  @ApiProperty({ type: [String], example: ['north', 'south'], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-zA-Z0-9 _-]{1,40}$/, {
    each: true,
    message: 'each region must be 1-40 letters, digits, spaces, "_" or "-"',
  })
  regions!: string[];

  @ApiProperty({
    required: false,
    description: 'Seed of the generated rows (same seed, same report).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  seed?: number;
}

/** Where a finished report is. */
export interface ReportResult {
  location: string;
  bytes: number;
  rows: number;
  regions: number;
}

/** CPU-bound: few at a time per replica; a retry recomputes (the file is replaced atomically). */
export const reportTask = (config: Pick<TasksConfig, 'REPORT_CONCURRENCY' | 'TASK_LEASE_MS'>) =>
  defineTask<ReportPayload, ReportResult>({
    name: 'report',
    payload: ReportPayload,
    options: {
      maxAttempts: 3,
      initialBackoffMs: 2000,
      concurrency: config.REPORT_CONCURRENCY,
      leaseMs: config.TASK_LEASE_MS,
    },
  });
