import { Inbox, OutboxWriter } from '@troupe/outbox';
import { DataSource, EntityManager } from 'typeorm';
import { Invocation, invokeHandler } from './handler-invocation';

export type ApplyOutcome = 'handled' | 'duplicate';

export interface Applied {
  outcome: ApplyOutcome;
  seconds: number;
}

/** Thrown by an {@link Applier} when the handler of `invocations[index]` failed (the others did not commit). */
export class ApplyFailure extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super(`handler of invocation ${index} failed: ${(error as Error)?.message ?? error}`);
  }
}

/** Runs handlers one after another; on a failure, says which one (see {@link ApplyFailure}). */
async function runEach(invocations: readonly Invocation[], run: (invocation: Invocation) => Promise<Applied>): Promise<Applied[]> {
  const results: Applied[] = [];
  for (let i = 0; i < invocations.length; i++) {
    try {
      results.push(await run(invocations[i]));
    } catch (error) {
      throw new ApplyFailure(i, error);
    }
  }
  return results;
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
    return runEach(invocations, async (invocation) => {
      // delete(): a second copy of the same event in this batch is a duplicate too.
      if (!fresh.delete(invocation.received.eventId)) return { outcome: 'duplicate', seconds: 0 };
      return timed(() => invokeHandler(invocation, tx, this.writer));
    });
  }
}

/** Broadcast handlers: no transaction, no inbox (their effects are per replica, e.g. in memory). */
export class DirectApplier implements Applier {
  constructor(private readonly writer: OutboxWriter) {}

  apply(invocations: readonly Invocation[]): Promise<Applied[]> {
    return runEach(invocations, (invocation) => timed(() => invokeHandler(invocation, undefined, this.writer)));
  }
}

async function timed(work: () => Promise<void>): Promise<Applied> {
  const started = process.hrtime.bigint();
  await work();
  return { outcome: 'handled', seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
