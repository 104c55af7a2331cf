/**
 * Paces a job to `perSecond` events: `take(n)` resolves when n more events may go. Starts with
 * the first call, so a resumed job is paced from its resumption.
 */
export class RateLimit {
  private started?: number;
  private sent = 0;

  constructor(private readonly perSecond: number) {}

  async take(n: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
    this.started ??= Date.now();
    const due = this.started + (this.sent * 1000) / this.perSecond;
    this.sent += n;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
  }
}
