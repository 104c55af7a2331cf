import { nextAfterAttempt, retryDelayMs } from './attempt-outcome.policy';

const options = {
  maxAttempts: 3,
  initialBackoffMs: 1000,
  backoffMultiplier: 2,
  maxBackoffMs: 3000,
};

describe('nextAfterAttempt', () => {
  it('succeeds on success', () => {
    expect(nextAfterAttempt(1, { kind: 'succeeded' }, options)).toEqual({ status: 'SUCCEEDED' });
  });

  it('retries a retriable failure with back-off while attempts remain', () => {
    expect(
      nextAfterAttempt(1, { kind: 'failed', error: 'boom', retriable: true }, options, () => 0),
    ).toEqual({
      status: 'PENDING',
      retryInMs: 500,
      error: 'boom',
      countsAsAttempt: true,
    });
  });

  it('fails on the last attempt and on a permanent error', () => {
    expect(
      nextAfterAttempt(3, { kind: 'failed', error: 'boom', retriable: true }, options),
    ).toEqual({ status: 'FAILED', error: 'boom' });
    expect(
      nextAfterAttempt(1, { kind: 'failed', error: 'bad data', retriable: false }, options),
    ).toEqual({ status: 'FAILED', error: 'bad data' });
  });

  it('treats a dead worker like a retriable failure', () => {
    expect(
      nextAfterAttempt(2, { kind: 'lease-expired', error: 'lease expired' }, options, () => 0.999)
        .status,
    ).toBe('PENDING');
    expect(
      nextAfterAttempt(3, { kind: 'lease-expired', error: 'lease expired' }, options).status,
    ).toBe('FAILED');
  });

  it('puts an interrupted attempt back at once without counting it', () => {
    expect(nextAfterAttempt(3, { kind: 'interrupted' }, options)).toEqual({
      status: 'PENDING',
      retryInMs: 0,
      error: null,
      countsAsAttempt: false,
    });
  });
});

describe('retryDelayMs', () => {
  it('doubles from the initial delay, capped, jittered in the upper half', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, options, () => 0))).toEqual([
      500, 1000, 1500, 1500,
    ]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, options, () => 0.999999))).toEqual([
      1000, 2000, 3000, 3000,
    ]);
  });
});
