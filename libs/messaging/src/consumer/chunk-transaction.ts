import { DataSource, EntityManager } from 'typeorm';

export interface ChunkTransactionSettings {
  /** Longest the chunk's inbox claim waits for another replica's uncommitted claim of the same events. */
  lockTimeoutMs: number;
  /** Longest any one statement of the chunk may run. */
  statementTimeoutMs: number;
}

/**
 * A transaction for one chunk of a 'once' group (or one parked event), with bounded statements
 * (the inbox claim bounds its own lock wait): a hung transaction elsewhere can delay the chunk,
 * never stall it for good. A
 * transaction left idle longer than a handler may take (its process frozen or partitioned away)
 * is ended by PostgreSQL, so the inbox claims it holds cannot block the replica that took its
 * partition over.
 */
export function inChunkTransaction<T>(
  dataSource: DataSource,
  settings: ChunkTransactionSettings,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (tx) => {
    // Integers only (validated at boot), so the literal is safe; one round trip for both.
    const statement = Math.round(settings.statementTimeoutMs);
    await tx.query(
      `SET LOCAL statement_timeout = ${statement}; SET LOCAL idle_in_transaction_session_timeout = ${statement + 5000}`,
    );
    return work(tx);
  });
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
