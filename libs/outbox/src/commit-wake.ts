import { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { troupeTables } from './table-names';

/** A relay of this process on the DataSource: woken directly, and asked whether it leads. */
export interface LocalRelay {
  wake(): void;
  readonly state: 'leader' | 'standby' | 'stopped';
}

const wakes = new WeakMap<DataSource, CommitWake>();

/**
 * Wakes the relay once a transaction that wrote outbox rows has committed, instead of a
 * `pg_notify` inside it. A NOTIFY in the writer's transaction makes PostgreSQL take one global
 * lock from the commit's start until its end (WAL flush included), so every writing transaction
 * of the database commits one after the other; measured here, single-event writer transactions
 * ran at 2,700/s with it and 4,200/s without (`npm run bench:writer`).
 *
 * After the commit (TypeORM's AfterTransactionCommit of the outermost transaction): the relay
 * of this process is woken directly when it leads; otherwise one `SELECT pg_notify(...)` outside
 * any transaction wakes the leader elsewhere. Notifications are coalesced: while one is
 * on its way, commits meanwhile ask for exactly one more, sent after it, so every commit is
 * followed by a notification sent after it became visible. A lost one (the process died between
 * the commit and the notification, the database refused it) costs a poll interval, no row.
 */
export class CommitWake implements EntitySubscriberInterface {
  private readonly expecting = new WeakSet<QueryRunner>();
  private readonly relays = new Set<LocalRelay>();
  private notifying = false;
  private again = false;
  /** Notifications sent (tests and benches). */
  notifications = 0;

  private constructor(private readonly dataSource: DataSource) {}

  /** The DataSource's CommitWake, installed as its subscriber the first time it is asked for. */
  static of(dataSource: DataSource): CommitWake {
    let wake = wakes.get(dataSource);
    if (!wake) {
      wake = new CommitWake(dataSource);
      wakes.set(dataSource, wake);
      dataSource.subscribers.push(wake);
    }
    return wake;
  }

  /** The transaction of `runner` wrote outbox rows: wake the relay once it has committed. */
  expect(runner: QueryRunner): void {
    this.expecting.add(runner);
  }

  /** A relay of this process on this DataSource (until the returned function is called). */
  attach(relay: LocalRelay): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    // A nested transaction's commit is a RELEASE SAVEPOINT: nothing is visible before the outer COMMIT.
    if (runner.isTransactionActive || !this.expecting.delete(runner)) return;
    this.committed();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.expecting.delete(event.queryRunner);
  }

  private committed(): void {
    let leaderHere = false;
    for (const relay of this.relays) {
      if (relay.state !== 'leader') continue; // a standby woken would only try for the lock again
      relay.wake();
      leaderHere = true;
    }
    if (!leaderHere) this.notify();
  }

  private notify(): void {
    if (this.notifying) {
      this.again = true;
      return;
    }
    this.notifying = true;
    void (async () => {
      const { channel } = troupeTables(this.dataSource);
      do {
        this.again = false;
        try {
          if (!this.dataSource.isInitialized) break;
          await this.dataSource.query('SELECT pg_notify($1, $2)', [channel, '']);
          this.notifications++;
        } catch {
          // The database is away: the relay's poll finds the rows.
        }
      } while (this.again);
      this.notifying = false;
    })();
  }
}
