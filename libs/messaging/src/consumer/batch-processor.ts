import { scopeOf } from '@troupe/outbox';
import { isRetriable } from '@troupe/schemas';
import { IncomingMessage, PartitionBatch } from '../transport/transport.port';
import { parkRequest, recordApplied } from './failure-actions';
import { BatchAbandoned, FreshEventRunner } from './fresh-event.runner';
import { GroupContext } from './group-context';
import { Invocation } from './handler-invocation';
import { ApplyFailure } from './inbox-transaction';
import { receive } from './received-event';

/**
 * Works through one partition's batch in order. Fast path: a chunk of events is applied in one
 * transaction. If that fails, the chunk is applied again one event at a time, so one failing
 * event cannot hold back the others (see {@link FreshEventRunner}). Events whose key already
 * has events in the parking lot queue behind them, so per-key order holds. Undecodable
 * messages are dead-lettered at once; events no handler of the group wants are skipped.
 * Offsets are marked done and committed only after everything before them has committed.
 */
export class BatchProcessor {
  private readonly runner: FreshEventRunner;

  constructor(private readonly ctx: GroupContext) {
    this.runner = new FreshEventRunner(ctx);
  }

  async process(batch: PartitionBatch): Promise<void> {
    const { messages } = batch;
    const { chunkSize } = this.ctx.settings;
    try {
      for (let start = 0; start < messages.length; start += chunkSize) {
        if (!batch.isActive()) return;
        const chunk = messages.slice(start, start + chunkSize);
        const invocations = await this.queueBlocked(await this.prepare(chunk));
        await this.applyChunk(invocations, batch);
        batch.markDone(chunk[chunk.length - 1]);
        await batch.commit();
        await batch.heartbeat();
      }
    } catch (error) {
      if (error instanceof BatchAbandoned) return;
      throw error;
    }
  }

  /** Decodes the chunk: dead-letters what cannot decode, skips what no handler wants. */
  private async prepare(chunk: readonly IncomingMessage[]): Promise<Invocation[]> {
    const { ctx } = this;
    const invocations: Invocation[] = [];
    for (const message of chunk) {
      let received;
      try {
        received = await receive(ctx.codec, message);
      } catch (error) {
        if (isRetriable(error)) throw error; // e.g. the registry is down: crash, restart, redeliver
        const now = new Date();
        await ctx.deadLetters.send(ctx.declaredGroup, message, message.headers['ce_type'] ?? 'unknown', { error, attempts: 0, firstFailureAt: now, lastFailureAt: now });
        ctx.metrics.consumedEvent(ctx.group, 'undecodable', 'dead-lettered');
        ctx.log(`${ctx.group}: undecodable message at ${message.topic}/${message.partition}@${message.offset} dead-lettered`, error);
        continue;
      }
      const registration = ctx.handlers.get(received.eventType);
      if (!registration || !received.event) {
        ctx.metrics.consumedEvent(ctx.group, received.eventType, 'skipped');
        continue;
      }
      invocations.push({ received, registration, attempt: 1 });
    }
    return invocations;
  }

  /** Parks (as queued) the events whose key has events waiting; returns the others. */
  private async queueBlocked(invocations: Invocation[]): Promise<Invocation[]> {
    const { parking } = this.ctx;
    const keyed = invocations.filter((i) => i.received.message.key !== null);
    if (!parking || keyed.length === 0) return invocations;
    const blocked = await parking.blockedKeys(
      this.ctx.group,
      keyed.map((i) => ({ topic: i.received.message.topic, key: i.received.message.key as string })),
    );
    if (blocked.size === 0) return invocations;
    const free: Invocation[] = [];
    for (const invocation of invocations) {
      if (this.isIn(blocked, invocation)) await parking.park(parkRequest(this.ctx, invocation.received, { attempts: 0, nextAttemptAt: new Date() }));
      else free.push(invocation);
    }
    return free;
  }

  private async applyChunk(invocations: readonly Invocation[], batch: PartitionBatch): Promise<void> {
    if (invocations.length === 0) return;
    // Fast path: the whole chunk in one transaction. If a handler fails, nothing committed: apply
    // them one by one below, the failing one counting that failure as its first attempt.
    let failed: { index: number; error: unknown; at: Date } | undefined;
    if (invocations.length > 1) {
      try {
        recordApplied(this.ctx, invocations, await this.ctx.applier.apply(invocations));
        return;
      } catch (failure) {
        if (!(failure instanceof ApplyFailure)) throw failure;
        failed = { index: failure.index, error: failure.error, at: new Date() };
      }
    }
    const parkedKeys = new Set<string>();
    for (const [index, invocation] of invocations.entries()) {
      if (this.isIn(parkedKeys, invocation)) {
        await this.ctx.parking!.park(parkRequest(this.ctx, invocation.received, { attempts: 0, nextAttemptAt: new Date() }));
        continue;
      }
      const outcome = await this.runner.run(invocation, batch, failed?.index === index ? failed : undefined);
      if (outcome === 'parked' && invocation.received.message.key !== null) {
        parkedKeys.add(scopeOf(invocation.received.message.topic, invocation.received.message.key));
      }
    }
  }

  private isIn(scopes: Set<string>, invocation: Invocation): boolean {
    const { key, topic } = invocation.received.message;
    return key !== null && scopes.has(scopeOf(topic, key));
  }
}
