import { errorCode } from '@troupe/schemas';
import { DeadLetterPublisher } from '../dead-letter/dead-letter.publisher';
import { Envelope, FailureState, Result } from '../envelope';
import { Middleware } from './middleware';

/**
 * What can never be handled goes to the group's dead-letter topic, through its one door
 * ({@link DeadLetterPublisher}): messages that cannot decode, at once; events whose failure the
 * retry middleware gave up on. Then the event's key is held (retry.keyAfterDeadLetter 'hold')
 * or settled. A dead letter the broker refuses for good is kept where the event came from, held,
 * so nothing is lost and the group moves on.
 */
export function deadLetter(publisher: DeadLetterPublisher, group: string, log: (message: string, error?: unknown) => void): Middleware {
  async function send(envelope: Envelope, state: FailureState, typeLabel: string): Promise<Result> {
    const { message, origin } = envelope;
    const sent = await publisher.send(group, message, typeLabel, state);
    const where = `${message.topic}/${message.partition}@${message.offset}`;
    const what = envelope.received ? `${typeLabel} ${envelope.received.eventId}` : `message at ${where}`;
    const keyHeld = message.key !== null;
    if (sent === 'undeliverable' && origin.canPark) {
      await origin.hold(envelope, state);
      log(`${group}: ${what} could not be dead-lettered; kept as a held parked event (${errorCode(state.error)})`);
      return { outcome: 'dead-lettered', keyHeld };
    }
    if (sent === 'undeliverable') log(`${group}: ${what} could not be dead-lettered and has no parking lot (broadcast); this replica skips it`);
    else log(`${group}: ${what} dead-lettered after ${state.attempts} attempt(s) (${errorCode(state.error)})`, state.error);
    if (sent === 'sent' && keyHeld && envelope.handler?.retry.keyAfterDeadLetter === 'hold') {
      await origin.hold(envelope, state);
      return { outcome: 'dead-lettered', keyHeld: true };
    }
    await origin.settle(envelope);
    return { outcome: 'dead-lettered', keyHeld: false };
  }

  return (next) => async (envelope) => {
    if (envelope.undecodable !== undefined) {
      return send(envelope, { error: envelope.undecodable, attempts: 0, firstFailureAt: new Date() }, 'undecodable');
    }
    const result = await next(envelope);
    if (result.outcome !== 'failed' || !envelope.handler) return result;
    const state = result.state ?? { error: result.error, attempts: envelope.attempt, firstFailureAt: envelope.firstFailureAt ?? new Date() };
    return send(envelope, state, envelope.handler.event.eventType);
  };
}
