import { OffsetHistory } from './offset-history';

describe('OffsetHistory', () => {
  it('interpolates when an offset was appended between the samples that bracket it', () => {
    const h = new OffsetHistory();
    h.record(100, 10_000);
    h.record(200, 20_000);
    // Offset 149 is the 50th message after 100: half-way between the samples.
    expect(h.appendedAt(149)).toEqual({ at: 15_000, bracketMs: 10_000 });
    expect(h.appendedAt(100)?.at).toBe(10_100);
    expect(h.appendedAt(199)?.at).toBe(20_000);
  });

  it('knows nothing of offsets before its history or not appended yet', () => {
    const h = new OffsetHistory();
    h.record(100, 10_000);
    h.record(200, 20_000);
    expect(h.appendedAt(99)).toBeUndefined();
    expect(h.appendedAt(200)).toBeUndefined();
  });

  it('keeps the first and last point of a flat run, so a message after a pause is dated after the pause', () => {
    const h = new OffsetHistory();
    h.record(100, 0);
    for (let at = 5_000; at <= 60_000; at += 5_000) h.record(100, at);
    h.record(110, 65_000);
    expect(h.size()).toBe(3);
    expect(h.appendedAt(100)).toEqual({ at: 60_500, bracketMs: 5_000 });
  });

  it('starts over when the log end goes back (topic recreated)', () => {
    const h = new OffsetHistory();
    h.record(500, 1_000);
    h.record(600, 2_000);
    h.record(10, 3_000);
    expect(h.size()).toBe(1);
    expect(h.oldest()).toEqual({ offset: 10, at: 3_000 });
  });

  it('takes seeds that fit the order and refuses those that contradict it', () => {
    const h = new OffsetHistory();
    h.record(1_000, 100_000);
    h.record(1_100, 105_000);
    expect(h.seed(400, 40_000)).toBe(true);
    expect(h.seed(1_050, 50_000)).toBe(false); // more messages 50 s earlier than at 100 s: impossible
    expect(h.seed(700, 70_000)).toBe(true);
    expect(h.appendedAt(549)?.at).toBeCloseTo(55_000, 0);
  });

  it('thins old history first when full, keeping recent samples at full resolution', () => {
    const h = new OffsetHistory(20);
    for (let i = 0; i <= 200; i++) h.record(i * 10, i * 5_000);
    expect(h.size()).toBe(20);
    expect(h.oldest()).toEqual({ offset: 0, at: 0 });
    expect(h.latest()).toEqual({ offset: 2_000, at: 1_000_000 });
    // The newest bracket is still one poll wide; the oldest ones are much wider.
    expect(h.appendedAt(1_995)?.bracketMs).toBe(5_000);
    expect(h.appendedAt(5)!.bracketMs).toBeGreaterThan(5_000);
    // Interpolation stays exact for a steady producer however coarse the bracket.
    expect(h.appendedAt(999)!.at).toBeCloseTo(500_000, 0);
  });
});
