import { Inbox, OutboxWriter } from '@troupe/outbox';
import { DataSource, EntityManager } from 'typeorm';
import { Invocation, invokeHandler } from './handler-invocation';

export type ApplyOutcome = 'handled' | 'duplicate';

export interface Applied {
  outcome: ApplyOutcome;
  seconds: number;
}

/** Runs invocations: for 'once' groups inside a transaction with the inbox, for broadcast groups directly. */
export interface Applier {
  apply(invocations: readonly Invocation[]): Promise<Applied[]>;
}

/**
 * Applies invocations inside one database transaction: first the inbox claims their event
 * ids for the group, then each new event's handler runs in order; redeliveries are skipped.
 * Either every effect and inbox row commits, or none does (the first handler error rolls the
 * whole transaction back and is rethrown).
 */
export class InboxTransaction implements Applier {
  private readonly inbox = new Inbox();

  constructor(
    private readonly group: string,
    private readonly dataSource: DataSource,
    private readonly writer: OutboxWriter,
  ) {}

  apply(invocations: readonly Invocation[]): Promise<Applied[]> {
    return this.dataSource.transaction((tx) => this.applyIn(tx, invocations));
  }

  /** The same inside a transaction the caller owns. */
  async applyIn(tx: EntityManager, invocations: readonly Invocation[]): Promise<Applied[]> {
    const fresh = await this.inbox.claim(tx, this.group, [...new Set(invocations.map((i) => i.received.eventId))]);
    const results: Applied[] = [];
    for (const invocation of invocations) {
      // delete(): a second copy of the same event in this batch is a duplicate too.
      if (!fresh.delete(invocation.received.eventId)) {
        results.push({ outcome: 'duplicate', seconds: 0 });
        continue;
      }
      const started = process.hrtime.bigint();
      await invokeHandler(invocation, tx, this.writer);
      results.push({ outcome: 'handled', seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    }
    return results;
  }
}

/** Broadcast handlers: no transaction, no inbox (their effects are per replica, e.g. in memory). */
export class DirectApplier implements Applier {
  constructor(private readonly writer: OutboxWriter) {}

  async apply(invocations: readonly Invocation[]): Promise<Applied[]> {
    const results: Applied[] = [];
    for (const invocation of invocations) {
      const started = process.hrtime.bigint();
      await invokeHandler(invocation, undefined, this.writer);
      results.push({ outcome: 'handled', seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    }
    return results;
  }
}
