import { PartitionBatch } from '../transport/transport.port';
import { decideAfterFailure } from './failure-decision';
import { deadLetter, parkRequest, recordApplied } from './failure-actions';
import { GroupContext } from './group-context';
import { Invocation } from './handler-invocation';
import { ApplyFailure } from './inbox-transaction';
import { resolveRetry } from './retry.options';

/** Thrown to abandon a batch whose partition was revoked or whose consumer is stopping. */
export class BatchAbandoned extends Error {}

/**
 * Applies one event taken from its partition: retries in place while the waits are short
 * (heartbeating), then parks it (the partition moves on) or dead-letters it.
 */
export class FreshEventRunner {
  constructor(private readonly ctx: GroupContext) {}

  /** `failedOnce`: the first attempt already failed (in a chunk) with this error. */
  async run(first: Invocation, batch: PartitionBatch, failedOnce?: { error: unknown; at: Date }): Promise<'done' | 'parked'> {
    const { ctx } = this;
    const retry = resolveRetry(first.registration.retry, first.registration.name);
    let firstFailureAt: Date | undefined = failedOnce?.at;
    for (let attempt = 1; ; attempt++) {
      const invocation = { ...first, attempt };
      try {
        if (attempt === 1 && failedOnce) throw new ApplyFailure(0, failedOnce.error);
        recordApplied(ctx, [invocation], await ctx.applier.apply([invocation]));
        return 'done';
      } catch (failure) {
        const error = failure instanceof ApplyFailure ? failure.error : failure;
        firstFailureAt ??= new Date();
        const type = invocation.received.eventType;
        const decision = decideAfterFailure(error, attempt, retry, ctx.settings.inPlaceRetryMaxDelayMs, ctx.parking !== undefined);
        if (decision.action === 'dead-letter') {
          await deadLetter(ctx, invocation.received, error, attempt, firstFailureAt);
          if (retry.keyAfterDeadLetter === 'hold' && ctx.parking && invocation.received.message.key !== null) {
            // A held row blocks the key: later events queue behind it until released.
            await ctx.parking.park({ ...parkRequest(ctx, invocation.received, { attempts: attempt, firstFailureAt, error, nextAttemptAt: new Date() }), held: true });
            return 'parked';
          }
          return 'done';
        }
        ctx.metrics.consumedEvent(ctx.group, type, 'failed');
        ctx.metrics.retried(ctx.group, type);
        if (decision.action === 'park') {
          await ctx.parking!.park(parkRequest(ctx, invocation.received, { attempts: attempt, firstFailureAt, error, nextAttemptAt: new Date(Date.now() + decision.delayMs) }));
          return 'parked';
        }
        await pause(decision.delayMs, batch);
      }
    }
  }
}

/** Waits between attempts, heartbeating, and gives up the batch if the partition goes away. */
async function pause(ms: number, batch: PartitionBatch): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!batch.isActive()) throw new BatchAbandoned();
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
    await batch.heartbeat().catch(() => undefined);
  }
}
