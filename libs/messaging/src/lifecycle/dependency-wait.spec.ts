import { DependencyRefusedError, DependencyWait, StartupStoppedError } from './dependency-wait';

describe('DependencyWait', () => {
  const db = { name: 'PostgreSQL', address: '127.0.0.1:5999' };
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), {
    code: 'ECONNREFUSED',
  });

  function waiter() {
    const lines: Array<{ level: string; message: string }> = [];
    const wait = new DependencyWait((level, message) => lines.push({ level, message }), {
      initialDelayMs: 5,
      maxDelayMs: 20,
    });
    return { wait, lines };
  }

  it('tries again while the dependency is missing, saying what it waits for, until it answers', async () => {
    const { wait, lines } = waiter();
    const seen: unknown[] = [];
    wait.onWaiting((w) => seen.push({ ...w }));
    let calls = 0;
    const result = await wait.until(
      db,
      async () => {
        if (++calls < 4) {
          expect(calls === 1 || wait.waitingFor?.attempts === calls - 1).toBe(true);
          throw refused;
        }
        return 'connected';
      },
      () => false,
    );
    expect(result).toBe('connected');
    expect(calls).toBe(4);
    expect(wait.waitingFor).toBeUndefined();
    expect(seen).toEqual([
      expect.objectContaining({
        name: 'PostgreSQL',
        address: '127.0.0.1:5999',
        attempts: 1,
        lastError: refused.message,
      }),
    ]);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^waiting for PostgreSQL at 127\.0\.0\.1:5999: connect ECONNREFUSED 127\.0\.0\.1:5999 \(attempt 1, next in \d+ ms\)$/,
      ),
      expect.stringContaining('(attempt 2,'),
      expect.stringContaining('(attempt 3,'),
    ]);
    expect(lines.at(-1)).toEqual({
      level: 'info',
      message: 'PostgreSQL at 127.0.0.1:5999 answers after 4 attempts',
    });
  });

  it('stops at once on a permanent failure, naming the dependency', async () => {
    const { wait } = waiter();
    const wrongPassword = Object.assign(
      new Error('password authentication failed for user "orders"'),
      { code: '28P01' },
    );
    const attempt = jest.fn().mockRejectedValue(wrongPassword);
    const error = await wait
      .until(db, attempt, (e) => (e as { code?: string }).code === '28P01')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyRefusedError);
    expect((error as Error).message).toBe(
      'PostgreSQL at 127.0.0.1:5999 refused: password authentication failed for user "orders"',
    );
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('ends a wait on stop(), and waits afresh after it', async () => {
    const { wait } = new (class {
      wait = new DependencyWait(() => undefined, { initialDelayMs: 60_000, maxDelayMs: 60_000 });
    })();
    const waiting = wait.until(
      db,
      () => Promise.reject(refused),
      () => false,
    );
    await new Promise((resolve) => setImmediate(resolve));
    wait.stop();
    await expect(waiting).rejects.toBeInstanceOf(StartupStoppedError);
    expect(
      await wait.until(
        db,
        async () => 'again',
        () => false,
      ),
    ).toBe('again');
  });
});
