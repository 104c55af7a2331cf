import { Envelope, FailureState } from '../envelope';
import { ParkRequest } from '../parking/parking-lot';

/** The parking-lot row of an envelope of group `groupId`. */
export function parkRequest(groupId: string, envelope: Envelope, state: FailureState | undefined, nextAttemptAt: Date, held = false): ParkRequest {
  const { message, received } = envelope;
  return {
    group: groupId,
    topic: message.topic,
    key: message.key,
    partition: message.partition,
    offset: message.offset,
    // An undecodable message has no event id of its own; the nil UUID marks it.
    eventId: received?.eventId ?? '00000000-0000-0000-0000-000000000000',
    eventType: received?.eventType ?? 'undecodable',
    value: message.value,
    headers: message.headers,
    messageTime: message.timestamp,
    attempts: state?.attempts ?? 0,
    firstFailureAt: state?.firstFailureAt,
    lastError: state === undefined ? undefined : errorText(state.error),
    nextAttemptAt,
    held,
  };
}

export function errorText(error: unknown): string {
  return String((error as Error)?.message ?? error).slice(0, 2000);
}
