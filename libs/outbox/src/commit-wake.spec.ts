import { DataSource, QueryRunner } from 'typeorm';
import { CommitWake } from './commit-wake';

/** A DataSource whose notification queries wait until the test lets each one finish. */
function fakeDataSource() {
  const sent: Array<() => void> = [];
  const dataSource = {
    isInitialized: true,
    subscribers: [] as unknown[],
    getMetadata: () => ({ schema: 'spec', tableName: 'outbox' }),
    query: jest.fn(() => new Promise<void>((resolve) => sent.push(resolve))),
  };
  return { dataSource: dataSource as unknown as DataSource, sent, query: dataSource.query };
}

const committed = (wake: CommitWake, runner: QueryRunner) => wake.afterTransactionCommit({ queryRunner: runner } as never);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CommitWake', () => {
  it('coalesces notifications: commits while one is on its way ask for exactly one more, sent after it', async () => {
    const { dataSource, sent, query } = fakeDataSource();
    const wake = CommitWake.of(dataSource);
    const runners = Array.from({ length: 4 }, () => ({ isTransactionActive: false }) as QueryRunner);
    runners.forEach((r) => wake.expect(r));

    committed(wake, runners[0]);
    await flush();
    expect(query).toHaveBeenCalledTimes(1);
    committed(wake, runners[1]); // while the first is in flight
    committed(wake, runners[2]);
    await flush();
    expect(query).toHaveBeenCalledTimes(1);
    sent.shift()!();
    await flush();
    expect(query).toHaveBeenCalledTimes(2); // one more, after the first finished
    sent.shift()!();
    await flush();
    expect(query).toHaveBeenCalledTimes(2);
    expect(wake.notifications).toBe(2);

    committed(wake, runners[3]);
    await flush();
    expect(query).toHaveBeenCalledTimes(3);
  });

  it('wakes a leading relay of the process instead of notifying, and ignores unexpected or nested commits', async () => {
    const { dataSource, query } = fakeDataSource();
    const wake = CommitWake.of(dataSource);
    expect(CommitWake.of(dataSource)).toBe(wake);
    expect(dataSource.subscribers).toEqual([wake]);
    const relay = { state: 'leader' as 'leader' | 'standby', wake: jest.fn() };
    const detach = wake.attach(relay);

    const runner = { isTransactionActive: false } as QueryRunner;
    wake.expect(runner);
    committed(wake, runner);
    committed(wake, runner); // already woken for
    committed(wake, { isTransactionActive: false } as QueryRunner); // wrote no outbox rows
    await flush();
    expect(relay.wake).toHaveBeenCalledTimes(1);
    expect(query).not.toHaveBeenCalled();

    const nested = { isTransactionActive: true } as QueryRunner; // a savepoint released, the outer still open
    wake.expect(nested);
    committed(wake, nested);
    expect(relay.wake).toHaveBeenCalledTimes(1);

    relay.state = 'standby';
    const other = { isTransactionActive: false } as QueryRunner;
    wake.expect(other);
    committed(wake, other);
    await flush();
    expect(relay.wake).toHaveBeenCalledTimes(1); // a standby is not woken (it would only try for the lock)
    expect(query).toHaveBeenCalledTimes(1);
    detach();
  });
});
