import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/**
 * One relay per outbox: leadership is a PostgreSQL session-level advisory lock held on a
 * dedicated connection. If the leader's process dies, PostgreSQL ends its session and frees the
 * lock; a standby's next attempt wins. The same connection LISTENs for writers' NOTIFYs.
 */
export class RelayLeadership {
  private client?: PoolClient;
  private lost = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lockKey: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
  ) {}

  get isLeader(): boolean {
    return this.client !== undefined && !this.lost;
  }

  /** Tries once to become leader; true if this instance now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    if (this.isLeader) return true;
    await this.release();
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    const [{ locked }] = (await client.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [this.lockKey])).rows;
    if (!locked) {
      client.release();
      return false;
    }
    client.on('notification', this.onNotify);
    client.on('error', () => (this.lost = true));
    client.on('end', () => (this.lost = true));
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
    this.lost = false;
    return true;
  }

  /**
   * The lock-holding session, for the leader's own statements: the relay then never waits for
   * the application's pool. Only while {@link isLeader}.
   */
  get session(): PoolClient {
    if (!this.client || this.lost) throw new Error('not the relay leader');
    return this.client;
  }

  /** The backend pid of the lock-holding session (tests end it to play a crash). */
  async leaderPid(): Promise<number | undefined> {
    if (!this.client) return undefined;
    return (await this.client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeListener('notification', this.onNotify);
    if (this.lost) {
      client.release(true);
      return;
    }
    try {
      await client.query(`UNLISTEN "${this.channel}"`);
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey]);
      client.release();
    } catch {
      client.release(true);
    }
  }
}
