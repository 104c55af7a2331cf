import { TimeLagEstimator } from './time-lag.estimator';

const settings = { historyPoints: 120, resolutionMs: 5_000, maxLookbackMs: 7 * 24 * 3600_000 };

describe('TimeLagEstimator', () => {
  it('reports the age of the oldest unconsumed message, and zero for a caught-up group', () => {
    const e = new TimeLagEstimator(settings);
    e.recordEnd('t', 0, 100, 0);
    e.recordEnd('t', 0, 200, 10_000);
    e.recordEnd('t', 0, 300, 20_000);
    expect(e.lagOf('t', 0, 150, 20_000)).toEqual({ seconds: 14.9, quality: 'interpolated' });
    expect(e.lagOf('t', 0, 300, 20_000)).toEqual({ seconds: 0, quality: 'interpolated' });
    expect(e.lagOf('t', 1, 0, 20_000)).toBeUndefined();
  });

  it('gives a lower bound for a group behind its history, and asks the time index further back by doubling steps', () => {
    const e = new TimeLagEstimator(settings);
    const now = 1_000_000;
    e.recordEnd('t', 0, 5_000, now);
    expect(e.lagOf('t', 0, 1_000, now)).toEqual({ seconds: 0, quality: 'lower-bound' });
    const first = e.lookupFor('t', 0, 1_000, now)!;
    expect(first).toBe(now - 10_000);
    e.seed('t', 0, 4_900, first);
    // Each question doubles how far back the history reaches: 10 s, 20 s, 40 s...
    const second = e.lookupFor('t', 0, 1_000, now)!;
    expect(second).toBe(now - 20_000);
    e.seed('t', 0, 4_800, second);
    expect(e.lookupFor('t', 0, 1_000, now)).toBe(now - 40_000);
  });

  it('once bracketed, halves the bracket until it is no wider than the resolution', () => {
    const e = new TimeLagEstimator(settings);
    const now = 1_000_000;
    e.recordEnd('t', 0, 10_000, now);
    // A steady producer of 10 messages per second since t=0: the broker's answer for time T is T/100.
    const index = (at: number) => Math.floor(at / 100);
    let asked = 0;
    for (
      let at = e.lookupFor('t', 0, 2_000, now);
      at !== undefined;
      at = e.lookupFor('t', 0, 2_000, now)
    ) {
      e.seed('t', 0, index(at), at);
      asked++;
    }
    expect(asked).toBeLessThan(30);
    const lag = e.lagOf('t', 0, 2_000, now)!;
    expect(lag.quality).toBe('interpolated');
    // Message 2000 was appended at 200 s: 800 s ago, within the resolution.
    expect(Math.abs(lag.seconds - 800)).toBeLessThanOrEqual(5);
  });

  it('stops asking beyond the look-back limit', () => {
    const e = new TimeLagEstimator({ ...settings, maxLookbackMs: 60_000 });
    const now = 1_000_000;
    e.recordEnd('t', 0, 5_000, now);
    let asked = 0;
    for (
      let at = e.lookupFor('t', 0, 10, now);
      at !== undefined && asked < 100;
      at = e.lookupFor('t', 0, 10, now)
    ) {
      e.seed('t', 0, 4_000, at); // the message is older than a minute: every answer lies above it
      asked++;
      expect(at).toBeGreaterThanOrEqual(now - 60_000);
    }
    expect(asked).toBeLessThan(10);
    expect(e.lagOf('t', 0, 10, now)?.quality).toBe('lower-bound');
  });

  it('forgets partitions that are gone', () => {
    const e = new TimeLagEstimator(settings);
    e.recordEnd('a', 0, 1, 0);
    e.recordEnd('b', 0, 1, 0);
    e.retain(new Set(['0@a']));
    expect(e.partitions()).toBe(1);
  });
});
