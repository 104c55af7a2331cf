import { Pause } from './pause';

describe('Pause', () => {
  it('returns at once when woken while waiting', async () => {
    const pause = new Pause();
    const waiting = pause.wait(60_000);
    pause.wake();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('keeps a wake that came while nobody waited, once', async () => {
    jest.useFakeTimers();
    try {
      const pause = new Pause();
      pause.wake();
      await expect(pause.wait(60_000)).resolves.toBeUndefined();
      let done = false;
      void pause.wait(1000).then(() => (done = true));
      await Promise.resolve();
      expect(done).toBe(false);
      jest.advanceTimersByTime(1000);
      await Promise.resolve();
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
