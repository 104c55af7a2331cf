import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST /tasks. The payload is checked against its type's schema by the tasks service. */
export class SubmitTaskRequest {
  @ApiProperty({ example: 'report', description: 'A registered task type: report or email-batch.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { title: 'Q3 sales', rows: 200000, regions: ['north', 'south'] },
  })
  @IsObject()
  payload!: Record<string, unknown>;

  @ApiProperty({ required: false, enum: ['high', 'normal', 'low'], default: 'normal' })
  @IsOptional()
  @IsString()
  priority?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    description: 'Not before this time; at most 30 days ahead.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  runAt?: string;
}
