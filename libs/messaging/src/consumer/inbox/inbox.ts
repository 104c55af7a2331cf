import { EntityManager } from 'typeorm';
import { consumerTables } from '../consumer-tables';

/**
 * The consumer side of effectively-once: inside the handler's transaction, claim the event ids
 * for the group; only the ids claimed now are new. A redelivered event finds its row and is
 * skipped. The claim commits (or rolls back) with the handler's effects.
 */
export class Inbox {
  /**
   * Returns the subset of `eventIds` not yet handled by `group` (now claimed in `tx`). Another
   * replica's uncommitted claim of the same id makes this wait, at most the chunk's lock_timeout.
   */
  async claim(tx: EntityManager, group: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: Array<{ event_id: string }> = await tx.query(
      `INSERT INTO ${consumerTables(tx.connection).inbox} (consumer_group, event_id)
       SELECT $1, id FROM unnest($2::uuid[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING event_id`,
      [group, eventIds],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /** Gives claims of this transaction back: those events were not applied (parked, dead-lettered, left). */
  async unclaim(tx: EntityManager, group: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await tx.query(`DELETE FROM ${consumerTables(tx.connection).inbox} WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`, [
      group,
      eventIds,
    ]);
  }

  /** Whether the group has applied the event (admin look-ups). */
  async has(tx: Pick<EntityManager, 'query' | 'connection'>, group: string, eventId: string): Promise<Date | undefined> {
    const [row] = await tx.query(`SELECT handled_at FROM ${consumerTables(tx.connection).inbox} WHERE consumer_group = $1 AND event_id = $2`, [
      group,
      eventId,
    ]);
    return row?.handled_at;
  }
}
