import { ParkRequest } from '@troupe/outbox';
import { errorCode } from '@troupe/schemas';
import { GroupContext } from './group-context';
import { Invocation } from './handler-invocation';
import { Applied } from './inbox-transaction';
import { ReceivedEvent } from './received-event';

/** Records the outcomes of applied invocations (after their transaction committed). */
export function recordApplied(ctx: GroupContext, invocations: readonly Invocation[], results: readonly Applied[]): void {
  results.forEach((result, i) =>
    ctx.metrics.consumedEvent(ctx.group, invocations[i].received.eventType, result.outcome, result.outcome === 'handled' ? result.seconds : undefined),
  );
}

/** Sends the event to the group's dead-letter topic and counts it. */
export async function deadLetter(ctx: GroupContext, received: ReceivedEvent, error: unknown, attempts: number, firstFailureAt: Date): Promise<void> {
  await ctx.deadLetters.send(ctx.declaredGroup, received.message, received.eventType, { error, attempts, firstFailureAt, lastFailureAt: new Date() });
  ctx.metrics.consumedEvent(ctx.group, received.eventType, 'dead-lettered');
  ctx.log(`${ctx.group}: ${received.eventType} ${received.eventId} dead-lettered after ${attempts} attempt(s) (${errorCode(error)})`, error);
}

/** A parking-lot row for an event of this group. */
export function parkRequest(
  ctx: GroupContext,
  received: ReceivedEvent,
  state: { attempts: number; firstFailureAt?: Date; error?: unknown; nextAttemptAt: Date },
): ParkRequest {
  const { message } = received;
  return {
    group: ctx.group,
    topic: message.topic,
    key: message.key,
    partition: message.partition,
    offset: message.offset,
    eventId: received.eventId,
    eventType: received.eventType,
    value: message.value,
    headers: message.headers,
    messageTime: message.timestamp,
    attempts: state.attempts,
    firstFailureAt: state.firstFailureAt,
    lastError: state.error === undefined ? undefined : String((state.error as Error)?.message ?? state.error),
    nextAttemptAt: state.nextAttemptAt,
  };
}
