import { taskBackoffMs } from './task-backoff';

describe('taskBackoffMs', () => {
  const backoff = { initialDelayMs: 1000, multiplier: 2, maxDelayMs: 10_000 };

  it('grows exponentially from the initial delay', () => {
    expect([1, 2, 3, 4].map((attempt) => taskBackoffMs(backoff, attempt))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('stops at the maximum', () => {
    expect(taskBackoffMs(backoff, 5)).toBe(10_000);
    expect(taskBackoffMs(backoff, 60)).toBe(10_000);
  });

  it('stays constant with multiplier 1', () => {
    expect(taskBackoffMs({ ...backoff, multiplier: 1 }, 7)).toBe(1000);
  });
});
