import { OffsetHistory } from './offset-history';

/** How a time lag was obtained. */
export type TimeLagQuality = 'interpolated' | 'lower-bound';

export interface TimeLag {
  seconds: number;
  quality: TimeLagQuality;
}

export interface TimeLagSettings {
  /** Points kept per partition. */
  historyPoints: number;
  /** A bracket wider than this is refined with the broker's time index (ms). */
  resolutionMs: number;
  /** How far back the time index is searched (ms). */
  maxLookbackMs: number;
}

const key = (topic: string, partition: number) => `${partition}@${topic}`;

/**
 * Lag in seconds: the age of the oldest message a group has not consumed, i.e. now minus the
 * time the message at its committed offset was appended. That time is interpolated from each
 * partition's {@link OffsetHistory} of log end offsets. The history starts when the exporter
 * does, so for a group further behind, the broker's time index fills it in: `lookups()` names
 * the (topic, time) questions worth asking — going back by doubling steps until the committed
 * offset is covered, then halving the bracket around it until it is no wider than the
 * resolution — and `seed()` takes the answers. Until then, `lagOf()` reports a lower bound.
 */
export class TimeLagEstimator {
  private readonly histories = new Map<string, OffsetHistory>();
  /** Per partition, the earliest time asked about: an answer that did not fit (clock skew) still moves the next question further back. */
  private readonly askedBack = new Map<string, number>();

  constructor(private readonly settings: TimeLagSettings) {}

  /** This poll's log end offset of a partition. */
  recordEnd(topic: string, partition: number, latest: number, at: number): void {
    let history = this.histories.get(key(topic, partition));
    if (!history)
      this.histories.set(
        key(topic, partition),
        (history = new OffsetHistory(this.settings.historyPoints)),
      );
    const before = history.latest();
    history.record(latest, at);
    if (before && latest < before.offset) this.askedBack.delete(key(topic, partition)); // the log started over
  }

  /** Forgets partitions not seen in the latest poll (deleted topics). */
  retain(seen: ReadonlySet<string>): void {
    for (const k of this.histories.keys())
      if (!seen.has(k)) {
        this.histories.delete(k);
        this.askedBack.delete(k);
      }
  }

  /** The time lag of a group at `next` (its committed offset, i.e. the next offset to read). */
  lagOf(topic: string, partition: number, next: number, now: number): TimeLag | undefined {
    const history = this.histories.get(key(topic, partition));
    const latest = history?.latest();
    if (!history || !latest) return undefined;
    if (next >= latest.offset) return { seconds: 0, quality: 'interpolated' };
    const appended = history.appendedAt(next);
    if (appended)
      return { seconds: Math.max(0, (now - appended.at) / 1000), quality: 'interpolated' };
    return { seconds: Math.max(0, (now - history.oldest()!.at) / 1000), quality: 'lower-bound' };
  }

  /**
   * The time-index question that would most improve the estimate at `next`, or undefined when
   * the estimate is as good as it gets.
   */
  lookupFor(topic: string, partition: number, next: number, now: number): number | undefined {
    const history = this.histories.get(key(topic, partition));
    const oldest = history?.oldest();
    const latest = history?.latest();
    if (!history || !oldest || !latest || next >= latest.offset) return undefined;
    const bracket = history.bracket(next);
    if (!bracket) {
      const reached = Math.min(oldest.at, this.askedBack.get(key(topic, partition)) ?? Infinity);
      if (now - reached >= this.settings.maxLookbackMs) return undefined;
      const step = Math.max(2 * this.settings.resolutionMs, now - reached);
      return Math.max(now - this.settings.maxLookbackMs, Math.round(reached - step));
    }
    const [before, after] = bracket;
    if (after.at - before.at <= this.settings.resolutionMs) return undefined;
    return Math.round((before.at + after.at) / 2);
  }

  /** An answer of the time index: at `at`, the log end of the partition was `offset`. */
  seed(topic: string, partition: number, offset: number, at: number): void {
    const k = key(topic, partition);
    this.askedBack.set(k, Math.min(at, this.askedBack.get(k) ?? Infinity));
    this.histories.get(k)?.seed(offset, at);
  }

  partitions(): number {
    return this.histories.size;
  }
}

export const partitionKey = key;
