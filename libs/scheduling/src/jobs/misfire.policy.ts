import type { MisfirePolicy } from './job-definition';

export interface PlannedRun {
  scheduledAt: Date;
  /** `schedule` when noticed within the grace time, `misfire` when run late by the policy. */
  trigger: 'schedule' | 'misfire';
}

/** What to do with the firings that came due since the last decision. */
export interface FiringDecision {
  /** Oldest first. */
  run: PlannedRun[];
  /** Not run: recorded as MISSED. */
  missed: Date[];
}

/**
 * Decides which due firings (oldest first) run. A firing noticed within `graceMs` of its time
 * is on time and always runs. The later ones are misfires and only for them the policy decides:
 * `skip` runs none, `fire-once` runs the latest of them, `backfill` the latest `limit`.
 */
export function decideFirings(
  due: readonly Date[],
  now: Date,
  graceMs: number,
  misfire: MisfirePolicy,
): FiringDecision {
  const late = due.filter((firing) => now.getTime() - firing.getTime() > graceMs);
  const onTime = due.filter((firing) => now.getTime() - firing.getTime() <= graceMs);
  const keep = misfire.policy === 'skip' ? 0 : misfire.policy === 'fire-once' ? 1 : misfire.limit;
  const rescued = keep > 0 ? late.slice(-keep) : [];
  return {
    run: [
      ...rescued.map((scheduledAt) => ({ scheduledAt, trigger: 'misfire' as const })),
      ...onTime.map((scheduledAt) => ({ scheduledAt, trigger: 'schedule' as const })),
    ],
    missed: late.slice(0, late.length - rescued.length),
  };
}
