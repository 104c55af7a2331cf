import { EntityManager } from 'typeorm';
import { troupeTables } from './table-names';

/**
 * The consumer side of effectively-once: inside the handler's transaction, claim the event ids
 * for the group; only the ids claimed now are new. A redelivered event finds its row and is
 * skipped. The claim commits (or rolls back) with the handler's effects.
 */
export class Inbox {
  /** Returns the subset of `eventIds` not yet handled by `group` (now claimed in `tx`). */
  async claim(tx: EntityManager, group: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: Array<{ event_id: string }> = await tx.query(
      `INSERT INTO ${troupeTables(tx.connection).inbox} (consumer_group, event_id)
       SELECT $1, id FROM unnest($2::uuid[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING event_id`,
      [group, eventIds],
    );
    return new Set(rows.map((r) => r.event_id));
  }
}
