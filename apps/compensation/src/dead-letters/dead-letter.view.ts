import { IncomingMessage } from '@troupe/messaging';
import { DEAD_LETTER_HEADER, HEADER, REPLAY_HEADER } from '@troupe/schemas';

/** A dead letter as people read it: what failed, how, how often, and where it came from. */
export interface DeadLetterView {
  eventId: string;
  eventType: string;
  key: string | null;
  errorCode: string;
  errorMessage: string;
  attempts: number;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  original: { topic: string; partition: number; offset: string };
  /** Where it sits in the group's dead-letter topic. */
  deadLetter: { partition: number; offset: string; at: string };
  /** Times it was redriven before this failure. */
  redriveCount: number;
  /** What the compensation app did with it: redriven (once), quarantined, or nothing yet. */
  state: 'dead' | 'redriven' | 'quarantined';
}

/** The dead letter's position key in the group's dead-letter topic. */
export const positionOf = (m: Pick<IncomingMessage, 'partition' | 'offset'>) => `${m.partition}@${m.offset}`;

/** Times this copy was redriven already (0 for a first failure). */
export function redriveCountOf(message: IncomingMessage): number {
  const count = Number(message.headers[REPLAY_HEADER.redriveCount] ?? 0);
  return Number.isInteger(count) && count >= 0 ? count : 0;
}

/**
 * Where the event was first published: a dead letter of a replayed or redriven copy was read
 * from the group's replay topic, and the copy names its source.
 */
export function originalOf(message: IncomingMessage): { topic: string; partition: number; offset: string } {
  const h = message.headers;
  const replayed = h[REPLAY_HEADER.sourceTopic] !== undefined;
  return {
    topic: (replayed ? h[REPLAY_HEADER.sourceTopic] : h[DEAD_LETTER_HEADER.topic]) ?? message.topic,
    partition: Number((replayed ? h[REPLAY_HEADER.sourcePartition] : h[DEAD_LETTER_HEADER.partition]) ?? message.partition),
    offset: (replayed ? h[REPLAY_HEADER.sourceOffset] : h[DEAD_LETTER_HEADER.offset]) ?? message.offset,
  };
}

export function deadLetterView(message: IncomingMessage, state: DeadLetterView['state']): DeadLetterView {
  const h = message.headers;
  return {
    eventId: (h[HEADER.eventId] ?? '').toLowerCase(),
    eventType: h[HEADER.eventType] ?? '(none)',
    key: message.key,
    errorCode: h[DEAD_LETTER_HEADER.errorCode] ?? '(none)',
    errorMessage: h[DEAD_LETTER_HEADER.errorMessage] ?? '',
    attempts: Number(h[DEAD_LETTER_HEADER.attempts] ?? 0),
    firstFailureAt: h[DEAD_LETTER_HEADER.firstFailureAt] ?? null,
    lastFailureAt: h[DEAD_LETTER_HEADER.lastFailureAt] ?? null,
    original: originalOf(message),
    deadLetter: { partition: message.partition, offset: message.offset, at: new Date(message.timestamp).toISOString() },
    redriveCount: redriveCountOf(message),
    state,
  };
}
