import { Cron } from 'croner';

/**
 * A cron expression in a time zone, evaluated by croner (no timers: this class only computes
 * firing times). Accepts 5 fields (minute precision) or 6 (seconds first). Daylight-saving
 * changes follow croner: a fixed-time firing that falls into a gap runs at the first valid
 * time after it, and one in a repeated hour runs once.
 */
export class CronSchedule {
  private readonly cron: Cron;

  /** Throws an Error saying what is wrong with the expression or the zone. */
  constructor(
    readonly expression: string,
    readonly zone: string,
  ) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      throw new Error(`zone "${zone}" is not an IANA time zone (e.g. "UTC", "Europe/Berlin")`);
    }
    try {
      this.cron = new Cron(expression, { timezone: zone, mode: '5-or-6-parts' });
    } catch (error) {
      throw new Error(`cron expression "${expression}" is invalid: ${(error as Error).message}`);
    }
    if (this.cron.nextRun(new Date()) === null)
      throw new Error(`cron expression "${expression}" never fires`);
  }

  /** The first firing strictly after `after`. */
  next(after: Date): Date {
    return this.cron.nextRun(after) as Date;
  }

  /**
   * Firings f with `after` < f <= `until`, oldest first, at most `max` of them: when there are
   * more, the latest `max` are returned and `omitted` is true (the older ones are not listed).
   */
  firingsBetween(after: Date, until: Date, max: number): { firings: Date[]; omitted: boolean } {
    const firings: Date[] = [];
    let cursor = after;
    while (firings.length < max) {
      const next = this.cron.nextRun(cursor);
      if (!next || next > until) return { firings, omitted: false };
      firings.push(next);
      cursor = next;
    }
    const following = this.cron.nextRun(cursor);
    if (!following || following > until) return { firings, omitted: false };
    // More than `max`: the latest ones. Firings have whole seconds, so +1 ms includes `until`.
    const latest = this.cron
      .previousRuns(max, new Date(until.getTime() + 1))
      .filter((f) => f > after && f <= until)
      .reverse();
    return { firings: latest, omitted: true };
  }

  /** Seconds between the next two firings after `from`: the job's nominal period. */
  intervalSeconds(from: Date): number {
    const [a, b] = this.cron.nextRuns(2, from);
    return a && b ? (b.getTime() - a.getTime()) / 1000 : 0;
  }
}
