import { TroupeMetrics } from '@troupe/observability';
import { DEAD_LETTER_HEADER, errorCode, isRetriable } from '@troupe/schemas';
import { TopicNaming } from '../../topology/topic-naming';
import { IncomingMessage, Publisher } from '../../transport/transport.port';
import { FailureState } from '../envelope';

export type DeadLetterOutcome = 'sent' | 'undeliverable';

/**
 * The one door into a group's dead-letter topic: the message, bytes and headers untouched, with
 * the standard dead-letter headers added. Resolves once the broker has it, so the caller may then
 * commit past the original. A transient failure (broker away) is thrown: the chunk is redone
 * later. A failure for good (the copy is too large with the added headers) is tried once more
 * without the value (header `troupe-dlq-value-omitted`; the original stays at its topic, partition
 * and offset); if that fails for good too, the answer is 'undeliverable' and the caller keeps the
 * event itself, so one bad offset never crash-loops the group.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly publisher: Publisher,
    private readonly naming: TopicNaming,
    private readonly metrics: TroupeMetrics,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** `group`: the declared group; `typeLabel`: a declared event type or a fixed word (bounded metric labels). */
  async send(group: string, message: IncomingMessage, typeLabel: string, failure: FailureState): Promise<DeadLetterOutcome> {
    const code = errorCode(failure.error);
    const headers = deadLetterHeaders(group, message, failure);
    const topic = this.naming.deadLetterTopic(group);
    try {
      await this.publisher.publish([{ topic, key: message.key, value: message.value ?? Buffer.alloc(0), headers }]);
    } catch (error) {
      if (isRetriable(error)) throw error;
      this.log(`${group}: dead letter of ${message.topic}/${message.partition}@${message.offset} refused by ${topic}; sending it without its value`, error);
      try {
        await this.publisher.publish([{ topic, key: message.key, value: Buffer.alloc(0), headers: { ...headers, [DEAD_LETTER_HEADER.valueOmitted]: String(errorCode(error)) } }]);
      } catch (again) {
        if (isRetriable(again)) throw again;
        this.metrics.deadLetterFailed(group, code);
        this.log(`${group}: dead letter of ${message.topic}/${message.partition}@${message.offset} cannot be sent to ${topic}`, again);
        return 'undeliverable';
      }
    }
    this.metrics.deadLettered(group, typeLabel, code);
    return 'sent';
  }
}

function deadLetterHeaders(group: string, message: IncomingMessage, failure: FailureState): Record<string, string> {
  const error = failure.error as Error;
  return {
    ...message.headers,
    [DEAD_LETTER_HEADER.topic]: message.topic,
    [DEAD_LETTER_HEADER.partition]: String(message.partition),
    [DEAD_LETTER_HEADER.offset]: message.offset,
    ...(message.key !== null ? { [DEAD_LETTER_HEADER.key]: message.key } : {}),
    [DEAD_LETTER_HEADER.group]: group,
    [DEAD_LETTER_HEADER.errorCode]: errorCode(failure.error),
    [DEAD_LETTER_HEADER.errorMessage]: String(error?.message ?? error).slice(0, 2000),
    [DEAD_LETTER_HEADER.attempts]: String(failure.attempts),
    [DEAD_LETTER_HEADER.firstFailureAt]: failure.firstFailureAt.toISOString(),
    [DEAD_LETTER_HEADER.lastFailureAt]: new Date().toISOString(),
  };
}
