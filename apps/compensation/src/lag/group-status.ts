/**
 * Burrow-style health of a consumer group, judged over a sliding window of polls:
 * - OK: every partition was caught up at some poll of the window, or moves without falling
 *   further behind.
 * - WARN: a partition's committed offset moves, but its lag never shrank over the whole window
 *   and ends higher than it started (the consumer falls behind).
 * - STALL: a partition has lag and its committed offset did not move for the whole window,
 *   although the group has members (a consumer is there but makes no progress).
 * - STOP: the same without members (nobody consumes; commits stopped).
 * Burrow tells STALL from STOP by commit timestamps; the exporter only sees committed offsets
 * and members, so "members present" stands in for "still committing".
 */
export const GROUP_STATUSES = ['OK', 'WARN', 'STALL', 'STOP'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

const SEVERITY: Record<GroupStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3 };

/** One poll's view of a group. */
export interface GroupSample {
  at: number;
  members: number;
  /** By `partitionKey`: the committed offset and the lag, for partitions with a commit. */
  partitions: ReadonlyMap<string, { committed: number; lag: number }>;
}

/** Keeps a window of samples per group and judges it. */
export class GroupStatusTracker {
  private readonly windows = new Map<string, GroupSample[]>();

  constructor(private readonly windowMs: number) {}

  observe(group: string, sample: GroupSample): GroupStatus {
    const window = [...(this.windows.get(group) ?? []), sample].filter(
      (s) => s.at >= sample.at - this.windowMs,
    );
    // Keep one sample older than the window start, so a full window can be recognised.
    const older = (this.windows.get(group) ?? [])
      .filter((s) => s.at < sample.at - this.windowMs)
      .pop();
    const kept = older ? [older, ...window] : window;
    this.windows.set(group, kept);
    return judge(kept, this.windowMs);
  }

  forget(group: string): void {
    this.windows.delete(group);
  }

  groups(): string[] {
    return [...this.windows.keys()];
  }
}

/** The status of a window of samples (oldest first). Pure; see {@link GroupStatusTracker}. */
export function judge(samples: readonly GroupSample[], windowMs: number): GroupStatus {
  const last = samples[samples.length - 1];
  if (!last || samples.length < 2) return 'OK';
  const full = last.at - samples[0].at >= windowMs;
  let worst: GroupStatus = 'OK';
  for (const [partition, now] of last.partitions) {
    if (now.lag <= 0) continue;
    const series = samples
      .map((s) => s.partitions.get(partition))
      .filter((p): p is { committed: number; lag: number } => p !== undefined);
    let status: GroupStatus = 'OK';
    // Burrow's first rule: a partition whose lag was zero at any poll of the window is OK.
    if (series.some((p) => p.lag <= 0)) continue;
    const unmoved = series.every((p) => p.committed === now.committed);
    if (unmoved && full && series.length === samples.length)
      status = last.members > 0 ? 'STALL' : 'STOP';
    else if (
      full &&
      !unmoved &&
      series.length >= 3 &&
      now.lag > series[0].lag &&
      series.every((p, i) => i === 0 || p.lag >= series[i - 1].lag)
    )
      status = 'WARN';
    if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  }
  return worst;
}
