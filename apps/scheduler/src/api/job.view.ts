import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JobView, RunRecord } from '@troupe/scheduling';

/** One row of a job's run history. */
export class RunViewDto {
  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'The firing (for manual runs: when it was asked for)',
  })
  scheduledAt!: string;

  @ApiProperty({ enum: ['schedule', 'misfire', 'manual'] })
  trigger!: string;

  @ApiProperty({ enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABANDONED', 'MISSED'] })
  outcome!: string;

  @ApiProperty({ description: 'The replica that decided (and ran) it' })
  replica!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  startedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;

  @ApiPropertyOptional({
    description: 'What the run reported (counts by finding)',
    type: Object,
    nullable: true,
  })
  findings!: Record<string, number> | null;

  static from(run: RunRecord): RunViewDto {
    return {
      runId: run.id,
      scheduledAt: run.scheduledAt.toISOString(),
      trigger: run.trigger,
      outcome: run.outcome,
      replica: run.replica,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.error,
      findings: run.findings,
    };
  }
}

/** A job with its schedule, state and last run. */
export class JobViewDto {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: '*/30 * * * * *' })
  cron!: string;

  @ApiProperty({ example: 'UTC' })
  zone!: string;

  @ApiProperty()
  timeoutMs!: number;

  @ApiProperty({ example: { policy: 'backfill', limit: 3 } })
  misfire!: { policy: string; limit?: number };

  @ApiProperty()
  paused!: boolean;

  @ApiProperty({ format: 'date-time' })
  nextFiringAt!: string;

  @ApiProperty({ type: RunViewDto, nullable: true })
  lastRun!: RunViewDto | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastSuccessAt!: string | null;

  static from(job: JobView): JobViewDto {
    return {
      name: job.name,
      description: job.description,
      cron: job.cron,
      zone: job.zone,
      timeoutMs: job.timeoutMs,
      misfire: job.misfire,
      paused: job.paused,
      nextFiringAt: job.nextFiringAt.toISOString(),
      lastRun: job.lastRun ? RunViewDto.from(job.lastRun) : null,
      lastSuccessAt: job.lastSuccessAt?.toISOString() ?? null,
    };
  }
}

/** The answer to a manual trigger. */
export class TriggeredRunDto {
  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty({ format: 'date-time' })
  scheduledAt!: string;
}
