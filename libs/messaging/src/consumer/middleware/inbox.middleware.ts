import { REPLAY_HEADER } from '@troupe/schemas';
import { DUPLICATE, ChunkScope, UnscopedEnvelope } from '../envelope';
import { Inbox } from '../inbox/inbox';
import { Middleware } from './middleware';
import { ATTEMPT_SAVEPOINT, savepointTakenFor } from './savepoint.middleware';

const CLAIMS = Symbol('inbox.claims');

export interface Claims {
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
  return new ChunkClaims(store, groupId, lockTimeoutMs).middleware;
}

/**
 * The chunk's inbox claims ({@link inbox}), also used by the batch runner, which takes the
 * claims of a batch's events at once and gives them back if the batch falls back.
 */
export class ChunkClaims {
  constructor(
    private readonly store: Inbox,
    private readonly groupId: string,
    private readonly lockTimeoutMs: number,
  ) {}

  /**
   * The chunk's claims, made by its first envelope that needs them (one statement for the whole
   * chunk, with that envelope's savepoint riding along: nothing of ours runs in between).
   */
  async of(scope: ChunkScope, first: UnscopedEnvelope): Promise<Claims> {
    const tx = scope.tx!;
    const known = scope.memo.get(CLAIMS) as Claims | undefined;
    if (known) return known;
    const ids = [...new Set(scope.envelopes.flatMap((e) => (e.received && !replayIdOf(e) ? [e.received.eventId] : [])))];
    const claims: Claims = { fresh: await this.store.claim(tx, this.groupId, ids, this.lockTimeoutMs, ATTEMPT_SAVEPOINT), returned: [] };
    savepointTakenFor(scope, first.message);
    scope.memo.set(CLAIMS, claims);
    scope.beforeCommit.push(() => this.store.unclaim(tx, this.groupId, [...claims.fresh, ...claims.returned]));
    return claims;
  }

  readonly middleware: Middleware = (next) => async (envelope) => {
    const { received, scope } = envelope;
    const tx = scope.tx;
    if (!received || !tx) return next(envelope);
    const { store, groupId } = this;
    const replayId = replayIdOf(envelope);
    if (replayId) {
      await tx.query('SAVEPOINT troupe_reprocess');
      if (!(await store.reclaim(tx, groupId, received.eventId, replayId))) return DUPLICATE;
      const result = await next(envelope);
      if (result.outcome !== 'handled') await tx.query('ROLLBACK TO SAVEPOINT troupe_reprocess');
      return result;
    }
    const claims = await this.of(scope, envelope);
    // delete(): a second copy of the same event in this chunk is a duplicate too.
    if (!claims.fresh.delete(received.eventId)) return DUPLICATE;
    const result = await next(envelope);
    if (result.outcome !== 'handled') claims.returned.push(received.eventId);
    return result;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The replay id of a copy to re-apply (reprocess mode, reapplicable handler), else undefined. */
export function replayIdOf(envelope: UnscopedEnvelope): string | undefined {
  const { headers } = envelope.message;
  if (headers[REPLAY_HEADER.mode] !== 'reprocess' || !envelope.handler?.reapplicable) return undefined;
  const id = headers[REPLAY_HEADER.id];
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
}
