import { TroupeMetrics, runWithTrace } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { errorCode } from '@troupe/schemas';
import { unavailableDependency } from '../../errors/infrastructure-unavailable.error';
import { HandlerTimeoutError } from '../../errors/handler-timeout.error';
import { ResolvedHandler } from '../../registry/resolved-handler';
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

/** What {@link BatchRunner.apply} did with a run. */
export type RunResult =
  | { readonly applied: true }
  /** Nothing of the run is kept: its first `alone` envelopes go one at a time, the rest may form a run again. */
  | { readonly applied: false; readonly alone: number };

/**
 * Runs of a 'once' group's chunk that share one savepoint of the chunk's transaction instead of
 * taking one each, after the inbox claim (duplicates left out) and the key-order check:
 *
 * - a batch: consecutive events of one batch handler (`@OnEventBatch`), in one call;
 * - a sequence: consecutive events whose per-event handlers declared `effects: 'transaction'`,
 *   one call each, one after another (their effects all live in the transaction, so running one
 *   again after its first run was rolled back leaves no trace of the first run).
 *
 * When the run cannot go as one (a key of it waits in the parking lot) or a call fails, nothing
 * of it is kept and the caller takes its envelopes one at a time through the per-event
 * pipeline, where each has its own savepoint and the usual retry, parking and dead-letter
 * policy: all of a failed batch; of a failed sequence, those up to the one that failed.
 */
export class BatchRunner {
  constructor(private readonly deps: BatchRunnerDeps) {}

  /** How many envelopes from `start` on form one run (0: the envelope there goes alone). */
  static runLength(envelopes: readonly UnscopedEnvelope[], start: number): number {
    const kind = runKindOf(envelopes[start]);
    if (!kind) return 0;
    let end = start + 1;
    while (end < envelopes.length && runKindOf(envelopes[end]) === kind) end++;
    // A sequence of one saves nothing over the per-event path.
    return kind === SEQUENCE && end - start < 2 ? 0 : end - start;
  }

  /** Applies the run in one savepoint, or leaves nothing of it (see {@link RunResult}). */
  async apply(run: readonly UnscopedEnvelope[], scope: ChunkScope): Promise<RunResult> {
    const { groupId, claims, keys, metrics, log } = this.deps;
    const { fresh } = await claims.of(scope, run[0]);
    const blocked = await keys.blockedKeys(scope);
    if (run.some((e) => e.message.key !== null && blocked.has(e.message.key))) return { applied: false, alone: run.length };

    const claimed: string[] = [];
    const work: UnscopedEnvelope[] = [];
    for (const envelope of run) {
      const id = envelope.received!.eventId;
      if (fresh.delete(id)) {
        claimed.push(id);
        work.push(envelope);
      }
    }
    if (work.length > 0) {
      const attempt = await enterAttempt(scope, work[0].message);
      const batchHandler = runKindOf(work[0]) === SEQUENCE ? undefined : work[0].handler!;
      const outcome = batchHandler ? await this.callBatch(batchHandler, work, scope) : await this.callEach(work, scope);
      await endAttempt(attempt, outcome.failure !== undefined);
      if (outcome.failure !== undefined) {
        for (const id of claimed) fresh.add(id); // the events go one at a time: their claims are theirs again
        const what = batchHandler ? `a batch of ${work.length} ${batchHandler.event.eventType}` : `a run of ${work.length} events`;
        log(`${groupId}: ${what} failed (${errorCode(outcome.failure)}); handling them one at a time`, outcome.failure);
        const failedAt = outcome.failedAt === undefined ? run.length - 1 : run.indexOf(work[outcome.failedAt]);
        return { applied: false, alone: failedAt + 1 };
      }
      work.forEach((e, i) => metrics.consumedEvent(groupId, e.handler!.event.eventType, 'handled', outcome.seconds[i]));
    }
    const applied = new Set(work);
    for (const envelope of run) {
      if (!applied.has(envelope)) metrics.consumedEvent(groupId, envelope.handler!.event.eventType, 'duplicate');
    }
    return { applied: true };
  }

  /** A batch handler's events in one call, bounded by its timeoutMs. */
  private async callBatch(handler: ResolvedHandler, batch: readonly UnscopedEnvelope[], scope: ChunkScope): Promise<CallOutcome> {
    const started = process.hrtime.bigint();
    const failure = await withDeadline<unknown>(
      async (deadline) => {
        const items: BatchItem[] = batch.map((e) => ({ event: e.received!.event!, ctx: contextOf({ ...e, scope, deadline }, this.deps.writer) }));
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
        return failureOf(() => handler.handleBatch!(items, context));
      },
      handler.timeoutMs,
      () => new HandlerTimeoutError(handler.name, handler.timeoutMs),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / batch.length;
    return { failure, seconds: batch.map(() => seconds) };
  }

  /** Per-event handlers one after another, each bounded by its timeoutMs and in its event's trace context; stops at the first failure. */
  private async callEach(sequence: readonly UnscopedEnvelope[], scope: ChunkScope): Promise<CallOutcome> {
    const seconds: number[] = [];
    for (let i = 0; i < sequence.length; i++) {
      const envelope = sequence[i];
      const handler = envelope.handler!;
      const received = envelope.received!;
      const started = process.hrtime.bigint();
      const failure = await withDeadline<unknown>(
        (deadline) =>
          runWithTrace({ correlationId: received.correlationId, causationId: received.eventId, traceparent: received.traceparent }, () =>
            failureOf(() => handler.handle(received.event!, contextOf({ ...envelope, scope, deadline }, this.deps.writer))),
          ),
        handler.timeoutMs,
        () => new HandlerTimeoutError(handler.name, handler.timeoutMs),
      );
      if (failure !== undefined) return { failure, failedAt: i, seconds };
      seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    return { failure: undefined, seconds };
  }
}

interface CallOutcome {
  /** Undefined when every call succeeded. */
  failure: unknown;
  /** The index of the envelope whose call failed (sequences). */
  failedAt?: number;
  /** Handler seconds per envelope. */
  seconds: number[];
}

/** What a handler call failed with, or undefined; a lost database connection is thrown on (the chunk ends). */
async function failureOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (error) {
    const unavailable = unavailableDependency(error);
    if (unavailable) throw unavailable; // the chunk ends; the partition is redelivered
    return error ?? new Error('handler threw a nullish value');
  }
}

/** The run kind of sequences of `effects: 'transaction'` per-event handlers. */
const SEQUENCE = Symbol('sequence');

/** Which run an envelope can join: its batch handler's, a sequence, or none (it goes alone). */
function runKindOf(envelope: UnscopedEnvelope): ResolvedHandler | typeof SEQUENCE | undefined {
  const { handler, received } = envelope;
  if (!handler || !received?.event || replayIdOf(envelope)) return undefined;
  if (handler.handleBatch) return handler;
  return handler.effects === 'transaction' ? SEQUENCE : undefined;
}
