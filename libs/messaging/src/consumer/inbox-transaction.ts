import { Inbox, OutboxWriter } from '@troupe/outbox';
import { DataSource } from 'typeorm';
import { Invocation, invokeHandler } from './handler-invocation';

export type ApplyOutcome = 'handled' | 'duplicate';

export interface Applied {
  outcome: ApplyOutcome;
  seconds: number;
}

/**
 * Applies invocations inside one database transaction: first the inbox claims their event
 * ids for the group, then each new event's handler runs in order; redeliveries are skipped.
 * Either every effect and inbox row commits, or none does (the first handler error rolls the
 * whole transaction back and is rethrown).
 */
export class InboxTransaction {
  private readonly inbox = new Inbox();

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: OutboxWriter,
  ) {}

  async apply(group: string, invocations: readonly Invocation[]): Promise<Applied[]> {
    return this.dataSource.transaction(async (tx) => {
      const fresh = await this.inbox.claim(tx, group, [...new Set(invocations.map((i) => i.received.eventId))]);
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
    });
  }
}
