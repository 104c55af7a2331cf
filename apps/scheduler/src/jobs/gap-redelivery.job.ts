import { JobContext, JobHandler, ScheduledJob } from '@troupe/scheduling';
import { CompensationService } from '../clients/compensation.client';
import { SHOP_JOB } from './shop-jobs.names';

/**
 * Re-delivery of missed events: asks the compensation app's gap detection for the events each
 * group has not applied after its grace period, and has them replayed to that group only (the
 * group's inbox drops what it has meanwhile). Retry-limited: the compensation app replays an
 * event at most GAP_REPLAY_MAX_ATTEMPTS times and then reports it as given up, never again;
 * this job reports those counts (`troupe_scheduler_job_findings{job="gap-redelivery"}`) and logs
 * what was given up, for a human to look at (`npx troupe gaps`, `npx troupe trace`).
 */
@ScheduledJob({
  name: SHOP_JOB.gapRedelivery,
  cron: '0 */5 * * * *',
  timeoutMs: 120_000,
  misfire: { policy: 'skip' },
  description: 'Replays events a group has not applied (compensation gap detection, retry-limited)',
})
export class GapRedeliveryJob implements JobHandler {
  constructor(private readonly compensation: CompensationService) {}

  async run(ctx: JobContext): Promise<void> {
    if (!this.compensation.enabled) {
      ctx.log(
        'warn',
        'gap re-delivery skipped: ADMIN_TOKEN is not set, so the compensation app would refuse',
      );
      ctx.report('skipped-no-token', 1);
      return;
    }
    const report = await this.compensation.replayGaps(ctx.signal);
    const missing = report.gaps.reduce((n, gap) => n + gap.missing, 0);
    const givenUp = report.gaps.flatMap((gap) =>
      gap.givenUp.length > 0 ? [{ group: gap.group, topic: gap.topic, events: gap.givenUp }] : [],
    );
    ctx.report('gap-events', missing);
    ctx.report(
      'replayed-events',
      report.replays.reduce((n, r) => n + r.events, 0),
    );
    ctx.report(
      'given-up-events',
      givenUp.reduce((n, g) => n + g.events.length, 0),
    );
    ctx.report('groups-not-checked', report.errors.length);
    for (const g of givenUp)
      ctx.log(
        'warn',
        `group ${g.group}: ${g.events.length} event(s) of ${g.topic} still not applied after the replay limit`,
        { eventIds: g.events.slice(0, 20) },
      );
    for (const e of report.errors)
      ctx.log('warn', `group ${e.group} could not be checked for gaps: ${e.message}`);
  }
}
