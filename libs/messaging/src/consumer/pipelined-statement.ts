import type { RawClient } from './chunk-transaction';

/** What this module relies on of pg's Client (8.2x, which has a pipeline mode). */
interface PgClientState {
  pipeline: boolean;
  readyForQuery: boolean;
  _activeQuery: unknown;
  _queryQueue: unknown[];
  _sentQueryQueue?: unknown[];
}

/**
 * Sends `sql` (a statement of the consumer's own, e.g. a SAVEPOINT) without waiting for its
 * answer before the next statement goes out: the client is put in pg's pipeline mode while the
 * statement is in flight, so the handler's first statement is written right behind it and both
 * take one round trip instead of two. The client leaves pipeline mode again as soon as nothing
 * is in flight but the one statement being answered ({@link leavePipeline}); if pg's client
 * is not idle, or not a pg client with a pipeline mode, the statement is simply awaited.
 * Resolves when the statement was answered; rejects with its error.
 */
export function sendAhead(client: RawClient, sql: string): { answered: Promise<void> } {
  const state = client as unknown as PgClientState;
  const idle = Array.isArray(state._sentQueryQueue) && !state.pipeline && state.readyForQuery && !state._activeQuery && state._queryQueue.length === 0;
  if (!idle) return { answered: client.query(sql).then(() => undefined) };
  state.pipeline = true;
  const answered = client.query(sql).then(
    () => void leavePipeline(client),
    (error: unknown) => {
      leavePipeline(client);
      throw error;
    },
  );
  answered.catch(() => undefined); // awaited by the caller; never an unhandled rejection meanwhile
  return { answered };
}

/**
 * Back to pg's ordinary one-statement-at-a-time mode once at most one statement is in flight
 * (it is then the active one, answered as usual). False while more are queued in the pipeline.
 */
export function leavePipeline(client: RawClient): boolean {
  const state = client as unknown as PgClientState;
  if (!state.pipeline) return true;
  if ((state._sentQueryQueue?.length ?? 0) > 0) return false;
  state.pipeline = false;
  return true;
}
