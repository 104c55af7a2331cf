import { REPLAY_HEADER } from '@troupe/schemas';
import { DUPLICATE, ChunkScope, UnscopedEnvelope } from '../envelope';
import { Inbox } from '../inbox/inbox';
import { Middleware } from './middleware';

const CLAIMS = Symbol('inbox.claims');

interface Claims {
  /** Claimed for this chunk and not yet used by an envelope. */
  fresh: Set<string>;
  /** Used, but not applied after all (parked, dead-lettered, abandoned). */
  returned: string[];
}

/**
 * Effectively-once for 'once' groups: the first envelope of a chunk claims every event id of the
 * chunk in its transaction (one statement); an event whose id was already there is a duplicate
 * and skipped. Claims of events that were not applied in the end — parked, dead-lettered, or not
 * reached because the partition went away — are given back before the chunk commits, so a later
 * attempt or a redrive finds them new.
 *
 * A copy the compensation app replays in 'reprocess' mode to a handler that declared itself
 * `reapplicable` is claimed on its own instead: applied again unless this very replay already
 * re-applied it (the inbox row remembers the replay id), in a savepoint so that an attempt that
 * does not get applied leaves the row as it was.
 */
export function inbox(store: Inbox, groupId: string, lockTimeoutMs: number): Middleware {
  async function claimsOf(scope: ChunkScope & { tx: NonNullable<ChunkScope['tx']> }): Promise<Claims> {
    const known = scope.memo.get(CLAIMS) as Claims | undefined;
    if (known) return known;
    const ids = [...new Set(scope.envelopes.flatMap((e) => (e.received && !replayIdOf(e) ? [e.received.eventId] : [])))];
    const claims: Claims = { fresh: await store.claim(scope.tx, groupId, ids, lockTimeoutMs), returned: [] };
    scope.memo.set(CLAIMS, claims);
    scope.beforeCommit.push(() => store.unclaim(scope.tx, groupId, [...claims.fresh, ...claims.returned]));
    return claims;
  }

  return (next) => async (envelope) => {
    const { received, scope } = envelope;
    const tx = scope.tx;
    if (!received || !tx) return next(envelope);
    const replayId = replayIdOf(envelope);
    if (replayId) {
      await tx.query('SAVEPOINT troupe_reprocess');
      if (!(await store.reclaim(tx, groupId, received.eventId, replayId))) return DUPLICATE;
      const result = await next(envelope);
      if (result.outcome !== 'handled') await tx.query('ROLLBACK TO SAVEPOINT troupe_reprocess');
      return result;
    }
    const claims = await claimsOf({ ...scope, tx });
    // delete(): a second copy of the same event in this chunk is a duplicate too.
    if (!claims.fresh.delete(received.eventId)) return DUPLICATE;
    const result = await next(envelope);
    if (result.outcome !== 'handled') claims.returned.push(received.eventId);
    return result;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The replay id of a copy to re-apply (reprocess mode, reapplicable handler), else undefined. */
function replayIdOf(envelope: UnscopedEnvelope): string | undefined {
  const { headers } = envelope.message;
  if (headers[REPLAY_HEADER.mode] !== 'reprocess' || !envelope.handler?.reapplicable) return undefined;
  const id = headers[REPLAY_HEADER.id];
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
}
