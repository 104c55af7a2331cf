import { TroupeMetrics } from '@troupe/observability';
import { DEAD_LETTER_HEADER, errorCode, topicNames } from '@troupe/schemas';
import { IncomingMessage, Publisher } from '../transport/transport.port';

export interface FailureRecord {
  error: unknown;
  attempts: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
}

/**
 * Sends a message, bytes and headers untouched, to its group's dead-letter topic with the
 * standard dead-letter headers added. Resolves once the broker has it, so the caller may then
 * commit past the original.
 */
export class DeadLetters {
  constructor(
    private readonly publisher: Publisher,
    private readonly metrics: TroupeMetrics,
    private readonly topicPrefix = '',
  ) {}

  async send(group: string, message: IncomingMessage, eventType: string, failure: FailureRecord): Promise<void> {
    const error = failure.error as Error;
    const code = errorCode(failure.error);
    await this.publisher.publish([
      {
        topic: `${this.topicPrefix}${topicNames.deadLetter(group)}`,
        key: message.key,
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...message.headers,
          [DEAD_LETTER_HEADER.topic]: message.topic,
          [DEAD_LETTER_HEADER.partition]: String(message.partition),
          [DEAD_LETTER_HEADER.offset]: message.offset,
          ...(message.key !== null ? { [DEAD_LETTER_HEADER.key]: message.key } : {}),
          [DEAD_LETTER_HEADER.group]: group,
          [DEAD_LETTER_HEADER.errorCode]: code,
          [DEAD_LETTER_HEADER.errorMessage]: String(error?.message ?? error).slice(0, 2000),
          [DEAD_LETTER_HEADER.attempts]: String(failure.attempts),
          [DEAD_LETTER_HEADER.firstFailureAt]: failure.firstFailureAt.toISOString(),
          [DEAD_LETTER_HEADER.lastFailureAt]: failure.lastFailureAt.toISOString(),
        },
      },
    ]);
    this.metrics.deadLettered(group, eventType, code);
  }
}
