import { TroupeError } from '@troupe/schemas';

/** A Kafka client error, translated: `retriable` says whether trying again later can succeed. */
export class TransportError extends TroupeError {
  constructor(code: string, message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(code, message, retriable, options);
  }
}

interface KafkaJsLike {
  name?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  errors?: unknown[];
  message?: string;
}

/**
 * kafkajs errors as {@link TransportError}s. kafkajs gives up with KafkaJSNumberOfRetriesExceeded
 * (marked non-retriable, src/errors.js) even when what it retried was a broker that was merely
 * away, so the verdict is taken from the error it retried: a connection error stays retriable;
 * protocol errors keep their own flag (MESSAGE_TOO_LARGE is not retriable, src/protocol/error.js).
 * An aggregate (several partitions failed) is retriable only if every part is. Codes are
 * `kafka.<type>` in lower case with dashes, e.g. `kafka.message-too-large`.
 */
export function translateKafkaError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const root = innermost(error as KafkaJsLike);
  const parts = root.errors?.map((e) => innermost(e as KafkaJsLike)) ?? [root];
  const retriable = parts.every((e) => e.retriable !== false);
  const type = parts.find((e) => e.retriable === false)?.type ?? parts[0]?.type ?? root.name ?? 'error';
  const code = `kafka.${String(type).replace(/^KafkaJS/, '').replace(/([a-z])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase()}`;
  return new TransportError(code, (error as Error)?.message ?? String(error), retriable, { cause: error });
}

function innermost(error: KafkaJsLike): KafkaJsLike {
  let current = error;
  for (let depth = 0; depth < 5 && current?.name === 'KafkaJSNumberOfRetriesExceeded' && current.cause; depth++) current = current.cause as KafkaJsLike;
  return current ?? {};
}
