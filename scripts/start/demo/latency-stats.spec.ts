import { LatencyStats } from './latency-stats';

describe('LatencyStats', () => {
  it('has no percentiles without samples', () => {
    expect(new LatencyStats().percentile(50)).toBeUndefined();
    expect(new LatencyStats().max()).toBeUndefined();
  });

  it('gives nearest-rank percentiles', () => {
    const stats = new LatencyStats();
    for (let ms = 100; ms >= 1; ms--) stats.add(ms);
    expect(stats.percentile(50)).toBe(50);
    expect(stats.percentile(95)).toBe(95);
    expect(stats.percentile(100)).toBe(100);
    expect(stats.max()).toBe(100);
  });

  it('keeps only the most recent samples', () => {
    const stats = new LatencyStats(3);
    [1000, 1, 2, 3].forEach((ms) => stats.add(ms));
    expect(stats.count).toBe(3);
    expect(stats.max()).toBe(3);
  });
});
