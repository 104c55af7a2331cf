import { TroupeMetrics } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { errorCode } from '@troupe/schemas';
import { unavailableDependency } from '../../errors/infrastructure-unavailable.error';
import { HandlerTimeoutError } from '../../errors/handler-timeout.error';
import { ChunkScope, UnscopedEnvelope } from '../envelope';
import { BatchContext, BatchItem } from '../event-context';
import { contextOf } from '../handler.step';
import { ChunkClaims, replayIdOf } from '../middleware/inbox.middleware';
import { KeyOrder } from '../middleware/key-order.middleware';
import { endAttempt, enterAttempt } from '../middleware/savepoint.middleware';
import { withDeadline } from '../middleware/timeout.middleware';

export interface BatchRunnerDeps {
  groupId: string;
  claims: ChunkClaims;
  keys: KeyOrder;
  writer: OutboxWriter;
  metrics: TroupeMetrics;
  log: (message: string, error?: unknown) => void;
}

/**
 * Batch handlers in a 'once' group's chunk: a run of consecutive envelopes for the same batch
 * handler goes to it in one call, in one savepoint of the chunk's transaction, after the inbox
 * claim (duplicates left out) and the key-order check. When the batch cannot go as one (a key of
 * it waits in the parking lot) or fails, nothing of it is kept and the caller takes its envelopes
 * one at a time through the per-event pipeline, where each is a batch of one with the usual
 * retry, parking and dead-letter policy.
 */
export class BatchRunner {
  constructor(private readonly deps: BatchRunnerDeps) {}

  /** How many envelopes from `start` on form one batch (0: the envelope there is not for a batch handler). */
  static runLength(envelopes: readonly UnscopedEnvelope[], start: number): number {
    const handler = batchHandlerOf(envelopes[start]);
    if (!handler) return 0;
    let end = start + 1;
    while (end < envelopes.length && batchHandlerOf(envelopes[end]) === handler) end++;
    return end - start;
  }

  /** Applies the run as one batch; false when its envelopes must go one at a time instead. */
  async apply(run: readonly UnscopedEnvelope[], scope: ChunkScope): Promise<boolean> {
    const { groupId, claims, keys, writer, metrics, log } = this.deps;
    const handler = run[0].handler!;
    const type = handler.event.eventType;
    const { fresh } = await claims.of(scope, run[0]);
    const blocked = await keys.blockedKeys(scope);
    if (run.some((e) => e.message.key !== null && blocked.has(e.message.key))) return false;

    const claimed: string[] = [];
    const batch: UnscopedEnvelope[] = [];
    for (const envelope of run) {
      const id = envelope.received!.eventId;
      if (fresh.delete(id)) {
        claimed.push(id);
        batch.push(envelope);
      }
    }
    const duplicates = run.length - batch.length;
    if (batch.length > 0) {
      const attempt = await enterAttempt(scope, batch[0].message);
      const started = process.hrtime.bigint();
      const failure = await withDeadline<unknown>(
        async (deadline) => {
          const items: BatchItem[] = batch.map((e) => ({ event: e.received!.event!, ctx: contextOf({ ...e, scope, deadline }, writer) }));
          const context: BatchContext = {
            get tx() {
              return items[0].ctx.tx;
            },
            group: handler.group,
            get signal() {
              return deadline.signal;
            },
            alone: false,
          };
          try {
            await handler.handleBatch!(items, context);
            return undefined;
          } catch (error) {
            const unavailable = unavailableDependency(error);
            if (unavailable) throw unavailable; // the chunk ends; the partition is redelivered
            return error ?? new Error('batch handler threw a nullish value');
          }
        },
        handler.timeoutMs,
        () => new HandlerTimeoutError(handler.name, handler.timeoutMs),
      );
      await endAttempt(attempt, failure !== undefined);
      if (failure !== undefined) {
        for (const id of claimed) fresh.add(id); // the events go one at a time: their claims are theirs again
        log(`${groupId}: a batch of ${batch.length} ${type} failed (${errorCode(failure)}); handling them one at a time`, failure);
        return false;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9 / batch.length;
      for (let i = 0; i < batch.length; i++) metrics.consumedEvent(groupId, type, 'handled', seconds);
    }
    for (let i = 0; i < duplicates; i++) metrics.consumedEvent(groupId, type, 'duplicate');
    return true;
  }
}

function batchHandlerOf(envelope: UnscopedEnvelope) {
  const { handler, received } = envelope;
  return handler?.handleBatch && received?.event && !replayIdOf(envelope) ? handler : undefined;
}
