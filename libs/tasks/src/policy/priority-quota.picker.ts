import { TASK_PRIORITIES } from '../task-priority';

/** Relative shares of the starts each priority gets while all of them have work. */
export type PriorityWeights = readonly [high: number, normal: number, low: number];

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = [12, 4, 1];

/**
 * Smooth weighted round-robin over the priorities (the nginx algorithm): over any run of
 * Σweights picks, each priority gets exactly its weight, spread evenly, the heaviest first. So
 * high work starts first, and normal and low still get their share while high work waits:
 * nothing starves. Quotas are only a preference: slots a priority cannot use (no work) go to
 * the others, in priority order (the claim query does that).
 */
export class PriorityQuotaPicker {
  private readonly current: number[];
  private readonly total: number;

  constructor(private readonly weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS) {
    if (
      weights.length !== TASK_PRIORITIES.length ||
      weights.some((w) => !Number.isInteger(w) || w < 1)
    )
      throw new Error(
        `priority weights must be ${TASK_PRIORITIES.length} positive integers, got ${JSON.stringify(weights)}`,
      );
    this.current = weights.map(() => 0);
    this.total = weights.reduce((a, b) => a + b, 0);
  }

  /** The next pick: a priority rank (0 = high). */
  next(): number {
    const best = this.peek(this.current);
    this.charge(best);
    return best;
  }

  /**
   * Quotas for `slots` starts, per priority rank, without taking them: the worker charges
   * what it actually started (see {@link charge}), so idle rounds do not shift the shares.
   */
  quotas(slots: number): number[] {
    const current = [...this.current];
    const quotas = this.weights.map(() => 0);
    for (let i = 0; i < slots; i++) {
      const best = this.peek(current);
      for (let j = 0; j < current.length; j++) current[j] += this.weights[j];
      current[best] -= this.total;
      quotas[best]++;
    }
    return quotas;
  }

  /** Records a start of priority `rank` (the pick, or another priority that took an unused slot). */
  charge(rank: number): void {
    for (let i = 0; i < this.current.length; i++) this.current[i] += this.weights[i];
    this.current[rank] -= this.total;
  }

  private peek(current: readonly number[]): number {
    let best = 0;
    for (let i = 1; i < current.length; i++)
      if (current[i] + this.weights[i] > current[best] + this.weights[best]) best = i;
    return best;
  }
}
