/**
 * Whether a consumer group is making progress: it counts the chunks in flight and when an
 * envelope last finished. A group with work in flight and no envelope finished for longer than
 * its `stuckAfterMs` reports not ready (a hung commit, a pool that never hands out a
 * connection); it becomes ready again as soon as something finishes.
 */
export class ProgressWatch {
  private inFlight = 0;
  private lastProgressAt = Date.now();

  begin(): void {
    if (this.inFlight++ === 0) this.lastProgressAt = Date.now();
  }

  tick(): void {
    this.lastProgressAt = Date.now();
  }

  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.lastProgressAt = Date.now();
  }

  /** How long work in flight has gone without progress; 0 when idle. */
  stalledForMs(now = Date.now()): number {
    return this.inFlight > 0 ? now - this.lastProgressAt : 0;
  }
}
