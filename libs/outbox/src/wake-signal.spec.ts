import { backoff } from './outbox.relay';
import { WakeSignal } from './wake-signal';

describe('WakeSignal', () => {
  it('ends a wait early when woken', async () => {
    const signal = new WakeSignal();
    const started = Date.now();
    setTimeout(() => signal.wake(), 20);
    await signal.wait(5000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('remembers a wake that came before the wait', async () => {
    const signal = new WakeSignal();
    signal.wake();
    const started = Date.now();
    await signal.wait(5000);
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('backoff', () => {
  it('doubles up to the maximum, jittered within the upper half', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      const delay = backoff(attempt, 100, 1000);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});
