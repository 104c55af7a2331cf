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
   * replica's uncommitted claim of the same id makes this wait, at most `lockTimeoutMs` (then it
   * fails with PostgreSQL's lock_not_available, 55P03); the handlers' own statements after it are
   * not bounded by that. One round trip: the ids are UUIDs and the group a checked name, so they
   * are written into the statement. `then` (the consumer's savepoint) runs in the same round trip.
   */
  async claim(
    tx: EntityManager,
    group: string,
    eventIds: readonly string[],
    lockTimeoutMs = 0,
    then?: string,
  ): Promise<Set<string>> {
    if (eventIds.length === 0) {
      if (then) await tx.query(then);
      return new Set();
    }
    if (!/^[a-zA-Z0-9._-]+$/.test(group) || !eventIds.every((id) => UUID.test(id)))
      throw new Error('inbox claim: unexpected group or event id');
    const client = (await tx.queryRunner!.connect()) as {
      query(sql: string): Promise<Array<{ rows: Array<{ event_id: string }> }>>;
    };
    const results = await client.query(
      `SET LOCAL lock_timeout = ${Math.round(lockTimeoutMs)};
       INSERT INTO ${consumerTables(tx.connection).inbox} (consumer_group, event_id)
       SELECT '${group}', id FROM unnest('{${eventIds.join(',')}}'::uuid[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING event_id;
       SET LOCAL lock_timeout = 0${then ? `; ${then}` : ''}`,
    );
    return new Set(results[1].rows.map((r) => r.event_id));
  }

  /**
   * Claims an event for re-application by replay `replayId` (reprocess mode): true when the
   * group has not applied the event, or applied it before this replay; false when this replay
   * already re-applied it (a redelivered replay copy). The row records the replay.
   */
  async reclaim(
    tx: EntityManager,
    group: string,
    eventId: string,
    replayId: string,
  ): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO ${consumerTables(tx.connection).inbox} AS i (consumer_group, event_id, replay_id) VALUES ($1, $2, $3)
       ON CONFLICT (consumer_group, event_id) DO UPDATE SET replay_id = EXCLUDED.replay_id, handled_at = now()
        WHERE i.replay_id IS DISTINCT FROM EXCLUDED.replay_id
       RETURNING event_id`,
      [group, eventId, replayId],
    );
    return rows.length > 0;
  }

  /** Gives claims of this transaction back: those events were not applied (parked, dead-lettered, left). */
  async unclaim(tx: EntityManager, group: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await tx.query(
      `DELETE FROM ${consumerTables(tx.connection).inbox} WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`,
      [group, eventIds],
    );
  }

  /** Which of these events the group has applied, and when (admin look-ups). */
  async lookUp(
    db: Pick<EntityManager, 'query' | 'connection'>,
    group: string,
    eventIds: readonly string[],
  ): Promise<Map<string, Date>> {
    if (eventIds.length === 0) return new Map();
    const rows: Array<{ event_id: string; handled_at: Date }> = await db.query(
      `SELECT event_id, handled_at FROM ${consumerTables(db.connection).inbox} WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`,
      [group, eventIds],
    );
    return new Map(rows.map((r) => [r.event_id, r.handled_at]));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
