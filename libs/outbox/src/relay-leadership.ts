import { DatabaseError } from 'pg';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { DataSource } from 'typeorm';

/** How the leader keeps, and loses, its lock session; see OutboxRelayOptions for each. */
export interface LeadershipTimeouts {
  heartbeatMs: number;
  sessionTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * One relay per outbox: leadership is a PostgreSQL session-level advisory lock held on a
 * dedicated connection, which also LISTENs for writers' NOTIFYs and runs the leader's statements.
 *
 * A leader that dies, hangs, is frozen or is cut off must lose the lock in bounded time, not
 * when TCP keepalive notices (hours by default). So the session is told to end itself:
 * `idle_session_timeout` and `idle_in_transaction_session_timeout` (sessionTimeoutMs; a frozen
 * process sends nothing, and the kernel keeps answering TCP keepalives for it, so only these
 * help), TCP keepalives that notice a vanished peer in about the same time, and a
 * `statement_timeout`. A live leader with nothing to do sends a heartbeat every heartbeatMs so
 * the server keeps its session. The leader stops leading (and drops the session) when a
 * statement finds the session gone or when it has not reached the server for sessionTimeoutMs:
 * by then the server may have freed the lock for a standby.
 */
export class RelayLeadership {
  private client?: PoolClient;
  private lost = false;
  private inFlight = 0;
  private lastContact = 0;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lockKey: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly timeouts: LeadershipTimeouts,
    /** Called once when a held leadership is lost (not on release). */
    private readonly onLost: (reason: string) => void = () => undefined,
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
    try {
      const [{ locked }] = (
        await client.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [
          this.lockKey,
        ])
      ).rows;
      if (!locked) {
        client.release();
        return false;
      }
      // The session holds the lock from here: if what follows fails, the session must end (which
      // frees the lock), never go back to the pool still holding it.
      await client.query(this.sessionSettings.sql, this.sessionSettings.params);
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    const gone = (reason: string) => () => {
      if (this.client === client) this.markLost(reason);
    };
    client.on('notification', () => {
      if (this.client === client) this.onNotify();
    });
    client.on('error', gone('the lock session failed'));
    client.on('end', gone('the lock session ended'));
    this.client = client;
    this.lost = false;
    this.lastContact = Date.now();
    this.heartbeat = setInterval(
      () => void this.beat(),
      Math.max(50, Math.floor(this.timeouts.heartbeatMs / 2)),
    );
    this.heartbeat.unref();
    return true;
  }

  /** Runs a statement on the lock session (only while {@link isLeader}); the relay never waits for the application's pool. */
  async query<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<R>> {
    const client = this.client;
    if (!client || this.lost) throw new Error('not the relay leader');
    this.inFlight++;
    try {
      const result = await client.query<R>(sql, params);
      this.lastContact = Date.now();
      return result;
    } catch (error) {
      if (error instanceof DatabaseError) this.lastContact = Date.now(); // the server answered; a connection error proves nothing
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * Throws unless this instance still leads: before acting as leader (publishing), a session
   * not heard from for a heartbeat is asked again, so a leader resumed after a freeze learns
   * that it lost the lock before it publishes anything.
   */
  async confirm(): Promise<void> {
    if (!this.isLeader) throw new Error('not the relay leader');
    if (Date.now() - this.lastContact >= this.timeouts.heartbeatMs) await this.query('SELECT 1');
  }

  /** The backend pid of the lock-holding session, when this instance leads (tests end it to play a crash). */
  async leaderPid(): Promise<number | undefined> {
    if (!this.isLeader) return undefined;
    return (await this.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  }

  /** Gives up leadership. The session is always ended, never pooled again: it carries the settings above. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (!client) return;
    if (!this.lost)
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey])
        .catch(() => undefined);
    client.release(true);
  }

  private async beat(): Promise<void> {
    if (!this.isLeader) return;
    const silentMs = Date.now() - this.lastContact;
    if (silentMs >= this.timeouts.sessionTimeoutMs) {
      this.markLost(`no answer from PostgreSQL for ${silentMs} ms`);
      return;
    }
    if (this.inFlight > 0 || silentMs < this.timeouts.heartbeatMs) return;
    await this.query('SELECT 1').catch(() => undefined); // a lost session is reported by its error / end events
  }

  private markLost(reason: string): void {
    const client = this.client;
    if (this.lost || !client) return;
    this.lost = true;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    // End the session (if the server is still there, it frees the lock at once) and fail what waits on it.
    client.release(true);
    this.onLost(reason);
  }

  /**
   * One statement, so a server without one of the settings (idle_session_timeout is PostgreSQL
   * 14+) skips it rather than failing: there a frozen leader is only replaced once TCP keepalive
   * or the statement timeout ends its session.
   */
  private get sessionSettings(): { sql: string; params: unknown[] } {
    const { sessionTimeoutMs, statementTimeoutMs } = this.timeouts;
    // Keepalive probes from the server: the first after a quarter of the timeout, then every quarter; three unanswered end it.
    const probeSeconds = Math.max(1, Math.floor(sessionTimeoutMs / 4000));
    const settings: Array<[string, string]> = [
      ['idle_session_timeout', String(sessionTimeoutMs)],
      ['idle_in_transaction_session_timeout', String(sessionTimeoutMs)],
      ['statement_timeout', String(statementTimeoutMs)],
      ['tcp_keepalives_idle', String(probeSeconds)],
      ['tcp_keepalives_interval', String(probeSeconds)],
      ['tcp_keepalives_count', '3'],
      // The relay's scan walks outbox_unpublished in seq order. With statistics older than the
      // backlog (after a burst or an outage) the planner would otherwise bitmap-scan and sort
      // every unpublished row per batch. The session is the relay's alone.
      ['enable_bitmapscan', 'off'],
      ['enable_seqscan', 'off'],
    ];
    return {
      sql: `SELECT set_config(s.name, s.value, false) FROM unnest($1::text[], $2::text[]) AS s(name, value) WHERE s.name IN (SELECT name FROM pg_settings)`,
      params: [settings.map(([name]) => name), settings.map(([, value]) => value)],
    };
  }
}
