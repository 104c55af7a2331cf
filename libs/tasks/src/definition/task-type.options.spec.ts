import { resolveTaskTypeOptions } from './task-type.options';

describe('resolveTaskTypeOptions', () => {
  it('fills the documented defaults', () => {
    expect(resolveTaskTypeOptions('report')).toEqual({
      maxAttempts: 3,
      initialBackoffMs: 1000,
      backoffMultiplier: 2,
      maxBackoffMs: 300_000,
      concurrency: Number.MAX_SAFE_INTEGER,
      leaseMs: 30_000,
      maxResultBytes: 65_536,
    });
  });

  it('names the type and the bad setting', () => {
    expect(() => resolveTaskTypeOptions('report', { maxAttempts: 0 })).toThrow(
      'task type report: maxAttempts must be an integer of at least 1, got 0',
    );
    expect(() =>
      resolveTaskTypeOptions('report', { rateLimit: { limit: 5, intervalMs: 0 } }),
    ).toThrow(/rateLimit.intervalMs/);
    expect(() =>
      resolveTaskTypeOptions('report', { initialBackoffMs: 10, maxBackoffMs: 5 }),
    ).toThrow(/maxBackoffMs must be at least initialBackoffMs/);
    expect(() => resolveTaskTypeOptions('Bad Name')).toThrow(/name must be lower-case/);
  });
});
