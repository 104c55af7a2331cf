import { TroupeError } from '@troupe/schemas';

/**
 * The broker refused messages for good: sending them again, as they are, cannot succeed (a
 * record batch over the topic's max.message.bytes, a record the broker rejects, a topic that
 * does not exist). Publishers throw it so the relay can quarantine what can never be published
 * instead of retrying it forever; every other rejection counts as transient.
 */
export class PublishRefusedError extends TroupeError {
  constructor(
    /** The broker's reason, e.g. MESSAGE_TOO_LARGE or UNKNOWN_TOPIC_OR_PARTITION. */
    readonly reason: string,
    message: string,
    /**
     * When the refusal is known to concern only the messages of these topics (every one of them
     * is refused, e.g. the topic does not exist). Otherwise any message of the request may be the
     * cause and the caller narrows it down by sending fewer.
     */
    readonly topics?: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`publish-refused.${reason}`, message, false, options);
  }
}
