import { NonRetriableError } from '../errors/non-retriable.error';
import { RetriableError } from '../errors/retriable.error';
import { decideAfterFailure } from './failure-decision';
import { resolveRetry } from '../registry/retry.options';

describe('decideAfterFailure', () => {
  const retry = resolveRetry({ maxAttempts: 4, initialDelayMs: 200, multiplier: 4, maxDelayMs: 10_000 }, 'T.h');

  it('dead-letters a non-retriable error on the first attempt', () => {
    expect(decideAfterFailure(new NonRetriableError('bad'), 1, retry, 1000, true)).toEqual({ action: 'dead-letter' });
  });

  it('dead-letters when the attempts are used up', () => {
    expect(decideAfterFailure(new RetriableError('down'), 4, retry, 1000, true)).toEqual({ action: 'dead-letter' });
  });

  it('treats unknown errors as retriable', () => {
    expect(decideAfterFailure(new Error('?'), 1, retry, 1000, true).action).toBe('retry-in-place');
  });

  it('retries short waits in place and parks long ones', () => {
    const second = decideAfterFailure(new Error('x'), 2, retry, 1000, true); // 400..800 ms
    expect(second.action).toBe('retry-in-place');
    const third = decideAfterFailure(new Error('x'), 3, retry, 1000, true); // 1600..3200 ms
    expect(third).toMatchObject({ action: 'park' });
    expect((third as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1600);
    expect((third as { delayMs: number }).delayMs).toBeLessThanOrEqual(3200);
  });

  it('waits in place when it cannot park (broadcast groups)', () => {
    expect(decideAfterFailure(new Error('x'), 3, retry, 1000, false).action).toBe('retry-in-place');
  });
});

describe('resolveRetry', () => {
  it('fills defaults', () => {
    expect(resolveRetry(undefined, 'T.h')).toEqual({ maxAttempts: 5, initialDelayMs: 200, multiplier: 2, maxDelayMs: 60_000, keyAfterDeadLetter: 'continue' });
  });

  it('names the setting and the handler when a value is wrong', () => {
    expect(() => resolveRetry({ maxAttempts: 0 }, 'Payments.charge')).toThrow('retry.maxAttempts of handler Payments.charge must be an integer of at least 1, got 0');
    expect(() => resolveRetry({ initialDelayMs: 500, maxDelayMs: 100 }, 'P.c')).toThrow(/retry.maxDelayMs/);
  });
});
