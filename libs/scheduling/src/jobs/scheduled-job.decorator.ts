import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import type { JobDefinition } from './job-definition';

export const SCHEDULED_JOB = Symbol('troupe:scheduled-job');

/**
 * Declares a provider class (implementing JobHandler) as a scheduled job:
 *
 * ```ts
 * @ScheduledJob({ name: 'deadline-monitor', cron: '0 * * * * *', misfire: { policy: 'fire-once' } })
 * export class DeadlineMonitorJob implements JobHandler { async run(ctx: JobContext) { ... } }
 * ```
 *
 * Only metadata is written here (and the class made injectable); the scheduler finds the jobs
 * at start-up, where a bad expression, zone or a duplicate name stops the service.
 */
export function ScheduledJob(definition: JobDefinition): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(SCHEDULED_JOB, definition));
}
