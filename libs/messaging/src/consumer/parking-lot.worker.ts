import { ParkedEvent, ParkingLot } from '@troupe/outbox';
import { DataSource, EntityManager } from 'typeorm';
import { decideAfterFailure } from './failure-decision';
import { deadLetter, recordApplied } from './failure-actions';
import { GroupContext } from './group-context';
import { ApplyFailure, InboxTransaction } from './inbox-transaction';
import { ReceivedEvent, receive } from './received-event';
import { resolveRetry } from './retry.options';

/**
 * Retries a 'once' group's parked events when they fall due, one key head at a time. Each
 * attempt runs in a transaction that holds the parked row's lock: the handler (with the inbox)
 * in a savepoint, then the row is deleted on success, or rescheduled / dead-lettered on
 * failure. Any replica of the group may work the lot; row locks keep them apart.
 */
export class ParkingLotWorker {
  private loop?: Promise<void>;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(
    private readonly ctx: GroupContext & { inbox: InboxTransaction; parking: ParkingLot },
    private readonly dataSource: DataSource,
  ) {}

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  /** Finishes the attempt in flight, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.attemptNext();
        if (!worked) this.ctx.metrics.setParked(this.ctx.group, await this.ctx.parking.count(this.ctx.group));
      } catch (error) {
        this.ctx.log(`${this.ctx.group}: parking lot attempt failed`, error);
      }
      if (!worked && !this.stopping) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.ctx.settings.parkingPollIntervalMs);
        });
      }
    }
  }

  /** Attempts the next due head; false when none is due. */
  private attemptNext(): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.ctx.parking.lockDueHead(tx, this.ctx.group);
      if (!row) return false;
      await this.attempt(tx, row);
      return true;
    });
  }

  private async attempt(tx: EntityManager, row: ParkedEvent): Promise<void> {
    const { ctx } = this;
    let received: ReceivedEvent;
    try {
      received = await receive(ctx.codec, { topic: row.topic, partition: row.partition, offset: row.offset, key: row.key, value: row.value, headers: row.headers, timestamp: row.messageTime });
    } catch (error) {
      return this.giveUp(tx, row, undefined, error, row.attempts);
    }
    const registration = ctx.handlers.get(received.eventType);
    if (!registration || !received.event) return ctx.parking.remove(tx, row.id); // its handler is gone
    const invocation = { received, registration, attempt: row.attempts + 1 };
    try {
      const results = await tx.transaction((savepoint) => ctx.inbox.applyIn(savepoint, [invocation]));
      await ctx.parking.remove(tx, row.id);
      recordApplied(ctx, [invocation], results);
    } catch (failure) {
      const error = failure instanceof ApplyFailure ? failure.error : failure;
      const retry = resolveRetry(registration.retry, registration.name);
      const decision = decideAfterFailure(error, invocation.attempt, retry, 0, true);
      if (decision.action === 'dead-letter') return this.giveUp(tx, row, received, error, invocation.attempt);
      ctx.metrics.consumedEvent(ctx.group, received.eventType, 'failed');
      ctx.metrics.retried(ctx.group, received.eventType);
      await ctx.parking.reschedule(tx, row.id, invocation.attempt, String((error as Error)?.message ?? error), new Date(Date.now() + decision.delayMs));
    }
  }

  private async giveUp(tx: EntityManager, row: ParkedEvent, received: ReceivedEvent | undefined, error: unknown, attempts: number): Promise<void> {
    const { ctx } = this;
    const firstFailureAt = row.firstFailureAt ?? new Date();
    if (received) await deadLetter(ctx, received, error, attempts, firstFailureAt);
    else {
      const message = { topic: row.topic, partition: row.partition, offset: row.offset, key: row.key, value: row.value, headers: row.headers, timestamp: row.messageTime };
      await ctx.deadLetters.send(ctx.declaredGroup, message, row.eventType, { error, attempts, firstFailureAt, lastFailureAt: new Date() });
    }
    const registration = ctx.handlers.get(row.eventType);
    const hold = registration && resolveRetry(registration.retry, registration.name).keyAfterDeadLetter === 'hold' && row.key !== null;
    if (hold) await ctx.parking.hold(tx, row.id, attempts, String((error as Error)?.message ?? error));
    else await ctx.parking.remove(tx, row.id);
  }
}
