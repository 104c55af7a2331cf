import { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { RelayLeadership } from './relay-leadership';

/** A pg pool client double: `answer` decides each statement's outcome. */
function fakeClient(answer: (sql: string) => Promise<unknown>) {
  const client = Object.assign(new EventEmitter(), {
    statements: [] as string[],
    released: [] as Array<boolean | undefined>,
    query: async (sql: string) => {
      client.statements.push(sql);
      return answer(sql);
    },
    release: (destroy?: boolean) => void client.released.push(destroy),
  });
  return client;
}

const dataSourceOver = (client: ReturnType<typeof fakeClient>) =>
  ({ driver: { master: { connect: async () => client } } }) as unknown as DataSource;
const timeouts = { heartbeatMs: 20, sessionTimeoutMs: 100, statementTimeoutMs: 50 };
const locked = async (sql: string) =>
  sql.includes('pg_try_advisory_lock') ? { rows: [{ locked: true }] } : { rows: [] };

describe('RelayLeadership', () => {
  it('ends the session (freeing the lock) when LISTEN fails after the lock was taken, instead of leaking it', async () => {
    const client = fakeClient(async (sql) => {
      if (sql.startsWith('LISTEN')) throw new Error('LISTEN failed');
      return locked(sql);
    });
    const leadership = new RelayLeadership(
      dataSourceOver(client),
      'k',
      'chan',
      () => undefined,
      timeouts,
    );
    await expect(leadership.tryAcquire()).rejects.toThrow('LISTEN failed');
    expect(client.released).toEqual([true]);
    expect(leadership.isLeader).toBe(false);
  });

  it('sets the session timeouts that make the server end a silent leader’s session', async () => {
    const client = fakeClient(locked);
    const leadership = new RelayLeadership(
      dataSourceOver(client),
      'k',
      'chan',
      () => undefined,
      timeouts,
    );
    expect(await leadership.tryAcquire()).toBe(true);
    expect(client.statements.some((s) => s.includes('set_config'))).toBe(true);
    await leadership.release();
    expect(client.released).toEqual([true]); // never pooled again with those settings
  });

  it('steps down when the lock session ends, and reports it once', async () => {
    const client = fakeClient(locked);
    const lost: string[] = [];
    const leadership = new RelayLeadership(
      dataSourceOver(client),
      'k',
      'chan',
      () => undefined,
      timeouts,
      (reason) => lost.push(reason),
    );
    await leadership.tryAcquire();
    client.emit('error', new Error('terminating connection due to idle-session timeout'));
    client.emit('end');
    expect(leadership.isLeader).toBe(false);
    expect(lost).toHaveLength(1);
    await expect(leadership.confirm()).rejects.toThrow('not the relay leader');
    await expect(leadership.query('SELECT 1')).rejects.toThrow('not the relay leader');
  });

  it('steps down when the server stops answering (a hung or cut-off session)', async () => {
    let hang = false;
    const client = fakeClient((sql) => (hang ? new Promise(() => undefined) : locked(sql)));
    const lost: string[] = [];
    const leadership = new RelayLeadership(
      dataSourceOver(client),
      'k',
      'chan',
      () => undefined,
      timeouts,
      (reason) => lost.push(reason),
    );
    await leadership.tryAcquire();
    hang = true;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(leadership.isLeader).toBe(false);
    expect(lost[0]).toMatch(/no answer from PostgreSQL/);
    expect(client.released).toEqual([true]);
  });

  it('keeps leading while heartbeats are answered', async () => {
    const client = fakeClient(locked);
    const leadership = new RelayLeadership(
      dataSourceOver(client),
      'k',
      'chan',
      () => undefined,
      timeouts,
    );
    await leadership.tryAcquire();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(leadership.isLeader).toBe(true);
    expect(client.statements.filter((s) => s === 'SELECT 1').length).toBeGreaterThan(2);
    await leadership.release();
  });
});
