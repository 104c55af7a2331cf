/**
 * kafkajs error types that mean the broker will never take the request as it is (all marked
 * `retriable: false` in kafkajs' src/protocol/error.js, so sendMessages bails at once):
 * MESSAGE_TOO_LARGE (10) and RECORD_LIST_TOO_LARGE (18): a record batch over the topic's
 * max.message.bytes; INVALID_RECORD (87): a record the broker's validation rejects;
 * INVALID_TOPIC_EXCEPTION (17): a topic name the broker refuses.
 * UNKNOWN_TOPIC_OR_PARTITION (3) is not here: kafkajs marks it retriable (a topic being created,
 * a leader moving) and retries it; only once the cluster confirms the topic is missing is it a
 * refusal (see KafkajsPublisher).
 */
const REFUSING_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
]);

export const UNKNOWN_TOPIC = 'UNKNOWN_TOPIC_OR_PARTITION';

/**
 * The broker's error type behind a kafkajs error: kafkajs wraps the protocol error when its
 * retries run out (KafkaJSNumberOfRetriesExceeded, `cause`) or it gives up
 * (KafkaJSNonRetriableError, `cause`), src/retry/index.js.
 */
export function kafkaErrorType(error: unknown): string | undefined {
  let current = error as { type?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.type === 'string') return current.type;
    current = current.cause as typeof current;
  }
  return undefined;
}

/** The refusal reason if `error` means the request can never succeed as it is. */
export function refusalOf(error: unknown): string | undefined {
  const type = kafkaErrorType(error);
  return type !== undefined && REFUSING_TYPES.has(type) ? type : undefined;
}
