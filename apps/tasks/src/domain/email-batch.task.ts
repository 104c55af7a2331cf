import { ApiProperty } from '@nestjs/swagger';
import { defineTask } from '@troupe/tasks';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';
import type { TasksConfig } from '../tasks.config';

/** Payload of an `email-batch` task: one message to many recipients. */
export class EmailBatchPayload {
  @ApiProperty({ example: 'Your invoice', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject!: string;

  @ApiProperty({ example: 'Hello, ...', maxLength: 10_000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  body!: string;

  @ApiProperty({ type: [String], example: ['a@example.com'], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsEmail({}, { each: true })
  recipients!: string[];
}

export interface EmailBatchResult {
  sent: number;
  /** Recipients a retry did not send to again (an earlier attempt had). */
  resumedFrom: number;
}

/** I/O-bound: many at a time, e-mails limited per second across every replica. */
export const emailBatchTask = (
  config: Pick<TasksConfig, 'EMAIL_RATE_PER_SECOND' | 'TASK_LEASE_MS'>,
) =>
  defineTask<EmailBatchPayload, EmailBatchResult>({
    name: 'email-batch',
    payload: EmailBatchPayload,
    options: {
      maxAttempts: 5,
      initialBackoffMs: 1000,
      leaseMs: config.TASK_LEASE_MS,
      rateLimit: { limit: config.EMAIL_RATE_PER_SECOND, intervalMs: 1000 },
    },
  });
