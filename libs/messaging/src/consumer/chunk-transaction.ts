import { DataSource, EntityManager, QueryRunner } from 'typeorm';

export interface ChunkTransactionSettings {
  /** Longest the chunk's inbox claim waits for another replica's uncommitted claim of the same events. */
  lockTimeoutMs: number;
  /** Longest any one statement of the chunk may run. */
  statementTimeoutMs: number;
}

/** The pg client under a TypeORM query runner: simple-protocol text, several statements in one round trip. */
export interface RawClient {
  query(sql: string): Promise<unknown>;
}

/** The pg client of a transaction's EntityManager, for statements of the consumer's own that need no parameters. */
export async function rawClientOf(tx: EntityManager): Promise<RawClient> {
  return (await tx.queryRunner!.connect()) as RawClient;
}

/**
 * A transaction for one chunk of a 'once' group (or one parked event), with bounded statements
 * (the inbox claim bounds its own lock wait): a hung transaction elsewhere can delay the chunk,
 * never stall it for good. A transaction left idle longer than a handler may take (its process
 * frozen or partitioned away) is ended by PostgreSQL, so the inbox claims it holds cannot block
 * the replica that took its partition over.
 *
 * BEGIN and both bounds go in one round trip (TypeORM's startTransaction() would take two);
 * the query runner is then told its transaction is open, so the handlers' EntityManager behaves
 * exactly as inside `dataSource.transaction()`, and TypeORM commits or rolls it back.
 */
export async function inChunkTransaction<T>(
  dataSource: DataSource,
  settings: ChunkTransactionSettings,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as RawClient;
    // Integers only (validated at boot), so the literal is safe.
    const statement = Math.round(settings.statementTimeoutMs);
    await client.query(
      `BEGIN; SET LOCAL statement_timeout = ${statement}; SET LOCAL idle_in_transaction_session_timeout = ${statement + 5000}`,
    );
    markTransactionOpen(runner);
    let result: T;
    try {
      result = await work(runner.manager);
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined); // the original error matters
      throw error;
    }
    await runner.commitTransaction();
    return result;
  } finally {
    await runner.release();
  }
}

/** What TypeORM's startTransaction() records after its START TRANSACTION. */
function markTransactionOpen(runner: QueryRunner): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  if (state.transactionDepth !== 0) throw new Error('chunk transaction: query runner already in a transaction');
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}

/** PostgreSQL's lock_not_available (a lock_timeout ran out). */
export function isLockTimeout(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code === '55P03' || e?.driverError?.code === '55P03';
}

/**
 * A failure caused by another transaction, not by the event: deadlock_detected (40P01),
 * serialization_failure (40001), lock_not_available (55P03). Trying again in a fresh
 * transaction succeeds once the other side is done.
 */
export function isTransactionConflict(error: unknown): boolean {
  for (
    let e = error as { code?: string; driverError?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (e.code === '40P01' || e.code === '40001' || e.code === '55P03') return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
