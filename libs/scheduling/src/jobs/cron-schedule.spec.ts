import { CronSchedule } from './cron-schedule';

describe('CronSchedule', () => {
  const at = (iso: string) => new Date(iso);
  const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

  it('computes firings with seconds, strictly after the reference', () => {
    const every5s = new CronSchedule('*/5 * * * * *', 'UTC');
    expect(every5s.next(at('2026-01-01T00:00:05.000Z')).toISOString()).toBe(
      '2026-01-01T00:00:10.000Z',
    );
    expect(every5s.next(at('2026-01-01T00:00:04.999Z')).toISOString()).toBe(
      '2026-01-01T00:00:05.000Z',
    );
    expect(every5s.intervalSeconds(at('2026-01-01T00:00:00Z'))).toBe(5);
  });

  it('reads five fields with minute precision in the given zone', () => {
    const daily = new CronSchedule('30 2 * * *', 'Europe/Berlin');
    expect(daily.next(at('2026-01-10T00:00:00Z')).toISOString()).toBe('2026-01-10T01:30:00.000Z');
    // Summer time: 02:30 in Berlin is 00:30 UTC.
    expect(daily.next(at('2026-07-10T00:00:00Z')).toISOString()).toBe('2026-07-10T00:30:00.000Z');
  });

  it('runs a firing that falls into the spring-forward gap once, right after the gap', () => {
    // 2026-03-29: Berlin jumps from 02:00 to 03:00; 02:30 does not exist that night.
    const daily = new CronSchedule('30 2 * * *', 'Europe/Berlin');
    const { firings } = daily.firingsBetween(
      at('2026-03-27T12:00:00Z'),
      at('2026-03-30T12:00:00Z'),
      10,
    );
    expect(iso(firings)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('lists the firings in a window, oldest first, the end included and the start not', () => {
    const every5s = new CronSchedule('*/5 * * * * *', 'UTC');
    expect(
      every5s.firingsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:15Z'), 10),
    ).toEqual({
      firings: [at('2026-01-01T00:00:05Z'), at('2026-01-01T00:00:10Z'), at('2026-01-01T00:00:15Z')],
      omitted: false,
    });
    expect(
      every5s.firingsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:04Z'), 10),
    ).toEqual({ firings: [], omitted: false });
  });

  it('keeps only the latest firings of a long window and says so', () => {
    const everySecond = new CronSchedule('* * * * * *', 'UTC');
    const { firings, omitted } = everySecond.firingsBetween(
      at('2026-01-01T00:00:00Z'),
      at('2026-01-02T00:00:00Z'),
      3,
    );
    expect(omitted).toBe(true);
    expect(iso(firings)).toEqual([
      '2026-01-01T23:59:58.000Z',
      '2026-01-01T23:59:59.000Z',
      '2026-01-02T00:00:00.000Z',
    ]);
    // Exactly `max` firings is not "more".
    expect(
      everySecond.firingsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:03Z'), 3),
    ).toMatchObject({ omitted: false });
  });

  it.each([
    ['61 * * * *', 'UTC', /cron expression "61 \* \* \* \*" is invalid: .*minute/],
    ['every day', 'UTC', /cron expression "every day" is invalid/],
    ['* * * * * * *', 'UTC', /is invalid: .*5 or 6 parts/],
    ['0 0 31 2 *', 'UTC', /never fires/],
    ['* * * * *', 'Mars/Olympus', /zone "Mars\/Olympus" is not an IANA time zone/],
  ])('refuses %j in %s, saying why', (expression, zone, message) => {
    expect(() => new CronSchedule(expression, zone)).toThrow(message);
  });
});
