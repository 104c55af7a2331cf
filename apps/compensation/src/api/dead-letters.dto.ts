import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SelectionDto } from './replay.dto';

const CODE = /^[a-zA-Z0-9._:-]{1,200}$/;
const list = ({ value }: { value: unknown }) => (value === undefined ? undefined : Array.isArray(value) ? value : String(value).split(','));

/** GET /dead-letters: a group's dead letters, narrowed by any of these. */
export class DeadLetterQuery {
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'group must be a consumer group name' })
  group!: string;

  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(CODE, { each: true, message: 'code must be error codes' })
  code?: string[];

  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[a-zA-Z0-9._-]{1,200}$/, { each: true, message: 'type must be event type names' })
  type?: string[];

  @IsOptional()
  @Matches(/^[0-9a-fA-F-]{36}$/, { message: 'eventId must be an event id (UUID)' })
  eventId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  key?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** POST /redrives: which dead letters of the group go back to it. */
export class RedriveRequestDto extends SelectionDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(CODE, { each: true, message: 'errorCodes must be error codes' })
  errorCodes?: string[];

  @ApiPropertyOptional({ default: false, description: 'Every dead letter of the group (a selection must be given otherwise).' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}
