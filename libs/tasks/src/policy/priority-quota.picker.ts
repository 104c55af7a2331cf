import { TASK_PRIORITIES } from '../task-priority';

/** Relative shares of the starts each priority gets while all of them have work. */
export type PriorityWeights = readonly [high: number, normal: number, low: number];

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = [12, 4, 1];

/**
 * Smooth weighted round-robin over the priorities (the nginx algorithm): over any run of
 * Σweights picks, each priority with work gets exactly its weight, spread evenly, the heaviest
 * first. So high work starts first, and normal and low still get their share while high work
 * waits: nothing starves. Quotas are only a preference: slots a priority cannot use go to the
 * others, in priority order (the claim query does that).
 */
export class PriorityQuotaPicker {
  private readonly current: number[];
  private readonly active: boolean[];

  constructor(private readonly weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS) {
    if (
      weights.length !== TASK_PRIORITIES.length ||
      weights.some((w) => !Number.isInteger(w) || w < 1)
    )
      throw new Error(
        `priority weights must be ${TASK_PRIORITIES.length} positive integers, got ${JSON.stringify(weights)}`,
      );
    this.current = weights.map(() => 0);
    this.active = weights.map(() => true);
  }

  /** The next pick (a priority rank, 0 = high), taken. */
  next(): number {
    const [best] = this.quotas(1).flatMap((q, rank) => (q > 0 ? [rank] : []));
    this.charge(best);
    return best;
  }

  /**
   * Quotas for `slots` starts, per priority rank, without taking them: the worker charges
   * what it actually started (see {@link charge}), so idle rounds do not shift the shares.
   */
  quotas(slots: number): number[] {
    const current = [...this.current];
    const active = this.sharing();
    const quotas = this.weights.map(() => 0);
    for (let i = 0; i < slots; i++) {
      const best = this.step(current, active, this.peek(current, active));
      quotas[best]++;
    }
    return quotas;
  }

  /** Records a start of priority `rank` (its pick, or a slot another priority could not use). */
  charge(rank: number): void {
    const active = this.sharing();
    active[rank] = true;
    this.step(this.current, active, rank);
  }

  /**
   * Which priorities have work left after the last claim. Only those share the next quotas (a
   * priority without work would otherwise hoard credit and hand its slots to the next one down
   * every time); one that went idle starts again from zero credit.
   */
  setActive(active: readonly boolean[]): void {
    for (let i = 0; i < this.active.length; i++) {
      if (!active[i]) this.current[i] = 0;
      this.active[i] = active[i] === true;
    }
  }

  /** The priorities sharing quotas now: the active ones, or all when none is known to have work. */
  private sharing(): boolean[] {
    return this.active.some(Boolean) ? [...this.active] : this.active.map(() => true);
  }

  private step(current: number[], active: readonly boolean[], pick: number): number {
    let total = 0;
    for (let i = 0; i < current.length; i++) {
      if (!active[i]) continue;
      current[i] += this.weights[i];
      total += this.weights[i];
    }
    current[pick] -= total;
    return pick;
  }

  private peek(current: readonly number[], active: readonly boolean[]): number {
    let best = -1;
    for (let i = 0; i < current.length; i++)
      if (
        active[i] &&
        (best < 0 || current[i] + this.weights[i] > current[best] + this.weights[best])
      )
        best = i;
    return best;
  }
}
