/** The log end offset of a partition at a moment: messages below `offset` existed at `at`. */
export interface OffsetPoint {
  offset: number;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * When a partition's log end passed which offset: the exporter's own samples of the log end,
 * one per poll, plus points the broker's time index gives for older offsets (see
 * {@link TimeLagEstimator}). From it, the time any offset was appended is interpolated, which
 * is how Kafka Lag Exporter estimates lag in seconds.
 *
 * Invariants: points are ordered by time and offset never decreases. A flat run (no new
 * messages) keeps its first and last point, so the interpolation brackets an offset between the
 * last moment it did not exist and the first moment it did. When full, the point whose removal
 * costs the least precision relative to its age goes, so old history thins out geometrically
 * and recent history stays at poll resolution.
 */
export class OffsetHistory {
  private points: OffsetPoint[] = [];

  constructor(private readonly maxPoints = 120) {
    if (maxPoints < 4) throw new Error('OffsetHistory needs room for at least 4 points');
  }

  /** A sample of the log end taken now. A log end that went back (topic recreated) starts over. */
  record(offset: number, at: number): void {
    const last = this.points[this.points.length - 1];
    if (last && at < last.at) return;
    if (last && offset < last.offset) this.points = [];
    const n = this.points.length;
    if (n >= 2 && this.points[n - 1].offset === offset && this.points[n - 2].offset === offset) {
      this.points[n - 1] = { offset, at }; // extend the flat run
      return;
    }
    this.points.push({ offset, at });
    this.thin(at);
  }

  /**
   * A point from the broker's time index (the first offset whose timestamp is at or after
   * `at`). Kept only where it fits the order of the points already known; returns whether it did.
   */
  seed(offset: number, at: number): boolean {
    let i = 0;
    while (i < this.points.length && this.points[i].at < at) i++;
    const before = this.points[i - 1];
    const after = this.points[i];
    if (after?.at === at || (before && before.offset > offset) || (after && after.offset < offset))
      return false;
    this.points.splice(i, 0, { offset, at });
    this.thin(this.points[this.points.length - 1].at);
    return true;
  }

  /**
   * When the message at `offset` was appended, interpolated between the last point where it did
   * not exist yet and the first where it did; with the width of that bracket in ms. Undefined
   * when the history does not reach back to it, or it is not appended yet.
   */
  appendedAt(offset: number): { at: number; bracketMs: number } | undefined {
    const j = this.points.findIndex((p) => p.offset > offset);
    if (j <= 0) return undefined;
    const before = this.points[j - 1];
    const after = this.points[j];
    const fraction = (offset + 1 - before.offset) / (after.offset - before.offset);
    return { at: before.at + fraction * (after.at - before.at), bracketMs: after.at - before.at };
  }

  /** The bracket around `offset` as points, for refining it (see {@link appendedAt}). */
  bracket(offset: number): [OffsetPoint, OffsetPoint] | undefined {
    const j = this.points.findIndex((p) => p.offset > offset);
    return j <= 0 ? undefined : [this.points[j - 1], this.points[j]];
  }

  oldest(): OffsetPoint | undefined {
    return this.points[0];
  }

  latest(): OffsetPoint | undefined {
    return this.points[this.points.length - 1];
  }

  size(): number {
    return this.points.length;
  }

  private thin(now: number): void {
    while (this.points.length > this.maxPoints) {
      let victim = 1;
      let cost = Infinity;
      for (let k = 1; k < this.points.length - 1; k++) {
        const gap = this.points[k + 1].at - this.points[k - 1].at;
        const age = Math.max(1, now - this.points[k].at);
        if (gap / age < cost) {
          cost = gap / age;
          victim = k;
        }
      }
      this.points.splice(victim, 1);
    }
  }
}
