import { TroupeMetrics } from '@troupe/observability';
import { DataSource } from 'typeorm';
import {
  OutboxRelayOptions,
  ResolvedOutboxRelayOptions,
  resolveRelayOptions,
} from './outbox-relay.options';
import { RelayLeadership } from './relay-leadership';
import { RelayMessage, RelayPublisher } from './relay-publisher.port';
import { TroupeTables, troupeTables } from './table-names';
import { WakeSignal } from './wake-signal';

interface DueRow {
  id: string;
  topic: string;
  key: string | null;
  event_type: string;
  payload: Buffer;
  headers: Record<string, string>;
  due_at: Date;
}

export type RelayState = 'stopped' | 'standby' | 'leader';

/**
 * Moves committed outbox rows to Kafka. One instance per service replica; only the leader
 * (see {@link RelayLeadership}) publishes. It wakes on NOTIFY (polling as a fallback, and a
 * timer for the next delayed row), reads due rows in publication order, locks them, publishes
 * the batch and marks it published in the same transaction. If publishing fails, the rows stay
 * unpublished and the relay backs off; nothing is dropped. Published rows are deleted after the
 * retention window.
 */
export class OutboxRelay {
  private readonly options: ResolvedOutboxRelayOptions;
  private readonly tables: TroupeTables;
  private readonly wakeSignal = new WakeSignal();
  private readonly leadership: RelayLeadership;
  private loop?: Promise<void>;
  private stopping = false;
  private lastCleanup = 0;
  private consecutiveFailures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: RelayPublisher,
    private readonly metrics: TroupeMetrics,
    options: OutboxRelayOptions = {},
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
  ) {
    this.options = resolveRelayOptions(options);
    this.tables = troupeTables(dataSource);
    this.leadership = new RelayLeadership(
      dataSource,
      this.tables.relayLockKey,
      this.tables.channel,
      () => this.wakeSignal.wake(),
    );
    metrics.observeOutbox(() => this.snapshot());
    metrics.observeRelay(() => this.state === 'leader');
  }

  get state(): RelayState {
    if (!this.loop) return 'stopped';
    return this.leadership.isLeader ? 'leader' : 'standby';
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Lets the batch in flight finish, then gives up leadership. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSignal.wake();
    await this.loop;
    this.loop = undefined;
    await this.leadership.release();
  }

  /** Wakes the relay now (tests and the writer in the same process may call this). */
  wake(): void {
    this.wakeSignal.wake();
  }

  /** The backend pid of the leader's lock session, when this instance leads. */
  leaderSessionPid(): Promise<number | undefined> {
    return this.leadership.leaderPid();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.leadership.tryAcquire())) {
          await this.wakeSignal.wait(this.options.standbyRetryMs);
          continue;
        }
        const published = await this.publishBatch();
        this.consecutiveFailures = 0;
        await this.cleanupIfDue();
        if (published < this.options.batchSize) await this.wakeSignal.wait(await this.idleWaitMs());
      } catch (error) {
        this.consecutiveFailures++;
        const delay = backoff(
          this.consecutiveFailures,
          this.options.initialBackoffMs,
          this.options.maxBackoffMs,
        );
        this.log(
          `outbox relay: attempt failed (${this.consecutiveFailures} in a row), retrying in ${delay} ms`,
          error,
        );
        if (!this.leadership.isLeader) await this.leadership.release();
        await sleep(delay, () => this.stopping);
      }
    }
  }

  /** Publishes one batch of due rows; returns how many. Runs on the leader's own session. */
  private async publishBatch(): Promise<number> {
    const session = this.leadership.session;
    let rows: DueRow[] = [];
    try {
      await session.query('BEGIN');
      // Walk outbox_unpublished in seq order. With statistics older than the backlog (after a burst
      // or an outage), the planner otherwise bitmap-scans and sorts every unpublished row per batch.
      await session.query('SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off');
      rows = (
        await session.query(
          `SELECT id, topic, key, event_type, payload, headers, greatest(created_at, coalesce(deliver_at, created_at)) AS due_at
             FROM ${this.tables.outbox}
            WHERE published_at IS NULL AND (deliver_at IS NULL OR deliver_at <= now())
            ORDER BY seq
            LIMIT $1
            FOR UPDATE SKIP LOCKED`,
          [this.options.batchSize],
        )
      ).rows;
      if (rows.length === 0) {
        await session.query('COMMIT');
        return 0;
      }
      await this.publisher.publish(rows.map(toMessage));
      await session.query(
        `UPDATE ${this.tables.outbox} SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      if (rows.length > 0) await this.recordFailure(rows, error);
      throw error;
    }
    const now = Date.now();
    for (const row of rows) {
      this.metrics.published(row.topic, row.event_type);
      this.metrics.relayed((now - row.due_at.getTime()) / 1000);
    }
    return rows.length;
  }

  private async recordFailure(rows: DueRow[], error: unknown): Promise<void> {
    await this.dataSource
      .query(
        `UPDATE ${this.tables.outbox} SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.id), String((error as Error)?.message ?? error).slice(0, 1000)],
      )
      .catch(() => undefined);
  }

  /** Until the next delayed row is due, but no longer than the polling interval. */
  private async idleWaitMs(): Promise<number> {
    const [{ next_in_ms }] = (
      await this.leadership.session.query(
        `SELECT extract(epoch FROM (min(deliver_at) - now())) * 1000 AS next_in_ms
         FROM ${this.tables.outbox} WHERE published_at IS NULL AND deliver_at > now()`,
      )
    ).rows;
    const nextDue = next_in_ms === null ? Infinity : Math.max(0, Number(next_in_ms));
    return Math.min(this.options.pollIntervalMs, nextDue);
  }

  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < this.options.cleanupIntervalMs) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(
      `DELETE FROM ${this.tables.outbox} WHERE published_at < now() - $1 * interval '1 millisecond'`,
      [this.options.retentionMs],
    );
    await this.dataSource.query(
      `DELETE FROM ${this.tables.inbox} WHERE handled_at < now() - $1 * interval '1 millisecond'`,
      [this.options.inboxRetentionMs],
    );
  }

  private async snapshot() {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending,
              coalesce(extract(epoch FROM now() - min(greatest(created_at, coalesce(deliver_at, created_at)))) FILTER (WHERE deliver_at IS NULL OR deliver_at <= now()), 0) AS age
         FROM ${this.tables.outbox} WHERE published_at IS NULL`,
    );
    return { pending: Number(row.pending), oldestPendingAgeSeconds: Math.max(0, Number(row.age)) };
  }
}

function toMessage(row: DueRow): RelayMessage {
  return { topic: row.topic, key: row.key, value: row.payload, headers: row.headers };
}

/** Exponential back-off with full jitter in the upper half: [d/2, d]. */
export function backoff(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

async function sleep(ms: number, cancelled: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !cancelled())
    await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
}
