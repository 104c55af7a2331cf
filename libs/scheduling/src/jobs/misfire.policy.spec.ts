import { decideFirings } from './misfire.policy';

describe('decideFirings', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  // Firings every 10 s; the scheduler was down for the first four, the last is on time.
  const due = [ago(40), ago(30), ago(20), ago(10), ago(0)];
  const grace = 5_000;

  it('runs on-time firings under every policy', () => {
    for (const misfire of [
      { policy: 'skip' } as const,
      { policy: 'fire-once' } as const,
      { policy: 'backfill', limit: 2 } as const,
    ]) {
      const decision = decideFirings([ago(1)], now, grace, misfire);
      expect(decision).toEqual({ run: [{ scheduledAt: ago(1), trigger: 'schedule' }], missed: [] });
    }
  });

  it('skip: runs none of the missed firings', () => {
    expect(decideFirings(due, now, grace, { policy: 'skip' })).toEqual({
      run: [{ scheduledAt: ago(0), trigger: 'schedule' }],
      missed: [ago(40), ago(30), ago(20), ago(10)],
    });
    expect(decideFirings(due.slice(0, 4), now, grace, { policy: 'skip' }).run).toEqual([]);
  });

  it('fire-once: runs the latest missed firing once', () => {
    expect(decideFirings(due.slice(0, 4), now, grace, { policy: 'fire-once' })).toEqual({
      run: [{ scheduledAt: ago(10), trigger: 'misfire' }],
      missed: [ago(40), ago(30), ago(20)],
    });
  });

  it('fire-once: runs the latest missed firing also when an on-time one is due', () => {
    expect(decideFirings(due, now, grace, { policy: 'fire-once' })).toEqual({
      run: [
        { scheduledAt: ago(10), trigger: 'misfire' },
        { scheduledAt: ago(0), trigger: 'schedule' },
      ],
      missed: [ago(40), ago(30), ago(20)],
    });
  });

  it('backfill: runs the latest N missed firings oldest first, besides the on-time one', () => {
    expect(decideFirings(due, now, grace, { policy: 'backfill', limit: 2 })).toEqual({
      run: [
        { scheduledAt: ago(20), trigger: 'misfire' },
        { scheduledAt: ago(10), trigger: 'misfire' },
        { scheduledAt: ago(0), trigger: 'schedule' },
      ],
      missed: [ago(40), ago(30)],
    });
    expect(decideFirings(due.slice(0, 2), now, grace, { policy: 'backfill', limit: 5 })).toEqual({
      run: [
        { scheduledAt: ago(40), trigger: 'misfire' },
        { scheduledAt: ago(30), trigger: 'misfire' },
      ],
      missed: [],
    });
  });

  it('decides nothing when nothing is due', () => {
    expect(decideFirings([], now, grace, { policy: 'backfill', limit: 3 })).toEqual({
      run: [],
      missed: [],
    });
  });
});
