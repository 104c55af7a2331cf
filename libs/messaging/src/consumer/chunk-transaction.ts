import { DataSource, EntityManager } from 'typeorm';

export interface ChunkTransactionSettings {
  /** Longest a statement of the chunk waits for a row lock (e.g. another replica's inbox claim). */
  lockTimeoutMs: number;
  /** Longest any one statement of the chunk may run. */
  statementTimeoutMs: number;
}

/**
 * A transaction for one chunk of a 'once' group (or one parked event), with bounded lock waits
 * and statements: a hung transaction elsewhere can delay the chunk, never stall it for good. A
 * transaction left idle longer than a handler may take (its process frozen or partitioned away)
 * is ended by PostgreSQL, so the inbox claims it holds cannot block the replica that took its
 * partition over.
 */
export function inChunkTransaction<T>(dataSource: DataSource, settings: ChunkTransactionSettings, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (tx) => {
    // Integers only (validated at boot), so the literal is safe; one round trip for both.
    const statement = Math.round(settings.statementTimeoutMs);
    await tx.query(
      `SET LOCAL lock_timeout = ${Math.round(settings.lockTimeoutMs)}; SET LOCAL statement_timeout = ${statement}; ` +
        `SET LOCAL idle_in_transaction_session_timeout = ${statement + 5000}`,
    );
    return work(tx);
  });
}

/** PostgreSQL's lock_not_available (a lock_timeout ran out). */
export function isLockTimeout(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code === '55P03' || e?.driverError?.code === '55P03';
}
