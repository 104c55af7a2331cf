import { TroupeMetrics } from '@troupe/observability';
import { DataSource } from 'typeorm';
import {
  OutboxRelayOptions,
  ResolvedOutboxRelayOptions,
  resolveRelayOptions,
} from './outbox-relay.options';
import { measureOutboxBacklog } from './outbox-backlog';
import { RelayLeadership } from './relay-leadership';
import { RelayPublisher } from './relay-publisher.port';
import { DueRow, RelayRowStore, RelaySender } from './relay-sender';
import { TroupeTables, troupeTables } from './table-names';
import { WakeSignal } from './wake-signal';
import { CommitWake } from './commit-wake';

export type RelayState = 'stopped' | 'standby' | 'leader';

/**
 * Moves committed outbox rows to Kafka. One instance per service replica; only the leader
 * (see {@link RelayLeadership}) publishes. It wakes when a writer's transaction commits
 * ({@link CommitWake}: directly in this process, by NOTIFY from others; polling as a fallback,
 * and a timer for the next delayed row), reads due rows in publication order on its lock session,
 * publishes them in requests of bounded size and marks each request published once the broker
 * has acknowledged it (see {@link RelaySender}). If publishing fails, the rows stay unpublished
 * and the relay backs off; nothing is dropped. A row the broker refuses for good is quarantined
 * (see OutboxQuarantine) and the rows of its key wait behind it. Published rows are deleted
 * after the retention window.
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
  private readonly sender: RelaySender;
  private detach?: () => void;

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
      {
        heartbeatMs: this.options.leaderHeartbeatMs,
        sessionTimeoutMs: this.options.leaderSessionTimeoutMs,
        statementTimeoutMs: this.options.leaderStatementTimeoutMs,
      },
      (reason) => {
        this.log(
          `outbox relay: lost leadership (${reason}); publishing stops until it leads again`,
        );
        this.wakeSignal.wake();
      },
    );
    this.sender = new RelaySender(publisher, this.rowStore(), this.options.maxRequestBytes);
    metrics.observeOutbox(() => measureOutboxBacklog(this.dataSource));
    metrics.observeRelay(() => this.state === 'leader');
  }

  get state(): RelayState {
    if (!this.loop) return 'stopped';
    return this.leadership.isLeader ? 'leader' : 'standby';
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.detach = CommitWake.of(this.dataSource).attach(this);
    this.loop = this.run();
  }

  /** Lets the batch in flight finish, then gives up leadership. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.detach?.();
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

  /** Publishes one batch of due rows; returns how many were read. Runs on the leader's own session. */
  private async publishBatch(): Promise<number> {
    // Not due: quarantined rows and, behind each, the later rows of its topic and key. No
    // transaction: the rows are the leader's alone while it holds the lock, and a publish may
    // outlast any sensible idle_in_transaction_session_timeout.
    const { rows } = await this.leadership.query<DueRow & Record<string, unknown>>(
      `SELECT o.id, o.topic, o.key, o.event_type, o.payload, o.headers, greatest(o.created_at, coalesce(o.deliver_at, o.created_at)) AS due_at
         FROM ${this.tables.outbox} o
        WHERE o.published_at IS NULL AND o.quarantined_at IS NULL AND (o.deliver_at IS NULL OR o.deliver_at <= now())
          AND NOT EXISTS (SELECT 1 FROM ${this.tables.outbox} q
                           WHERE q.quarantined_at IS NOT NULL AND q.published_at IS NULL AND q.topic = o.topic AND q.key = o.key AND q.seq < o.seq)
        ORDER BY o.seq
        LIMIT $1`,
      [this.options.batchSize],
    );
    if (rows.length > 0) await this.sender.send(rows);
    return rows.length;
  }

  /** How the sender records outcomes: on the lock session, so a relay that lost it marks nothing. */
  private rowStore(): RelayRowStore {
    const outbox = () => this.tables.outbox;
    return {
      confirmLeader: () => this.leadership.confirm(),
      published: async (rows) => {
        await this.leadership.query(
          `UPDATE ${outbox()} SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`,
          [rows.map((r) => r.id)],
        );
        const now = Date.now();
        for (const row of rows) {
          this.metrics.published(row.topic, row.event_type);
          this.metrics.relayed((now - row.due_at.getTime()) / 1000);
        }
      },
      quarantine: async (row, reason) => {
        await this.leadership.query(
          `UPDATE ${outbox()} SET quarantined_at = now(), quarantine_reason = $2, last_error = $2, attempts = attempts + 1 WHERE id = $1`,
          [row.id, reason],
        );
        this.metrics.quarantined(row.topic, row.event_type);
        this.log(
          `outbox relay: quarantined row ${row.id} (topic ${row.topic}, key ${row.key ?? 'none'}, ${row.event_type}): ${reason}. ` +
            'Later rows of its key wait behind it; fix the cause, then OutboxQuarantine.release the row',
        );
      },
      failed: (rows, error) => this.recordFailure(rows, error),
    };
  }

  private async recordFailure(rows: readonly DueRow[], error: unknown): Promise<void> {
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
      await this.leadership.query(
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
    await this.dataSource.query(`DELETE FROM ${this.tables.outbox} WHERE published_at < now() - $1 * interval '1 millisecond'`, [this.options.retentionMs]);
  }
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
