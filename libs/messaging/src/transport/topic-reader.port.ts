import type { IncomingMessage, Transport } from './transport.port';

/** A span of one partition: offsets `from` (inclusive) to `to` (exclusive), decimal strings. */
export interface PartitionRange {
  partition: number;
  from: string;
  to: string;
}

/** What `onBatch` gets besides the messages. */
export interface ReadControl {
  /** Keeps the reader's membership alive while `onBatch` takes long (rate-limited writing). */
  heartbeat(): Promise<void>;
}

/**
 * Reads spans of a topic without being a member of anyone's group: for platform tools (replay,
 * dead-letter listing and redrive). Contract: messages of a partition arrive in offset order,
 * only those inside its range, in batches; `onBatch` is awaited before the next batch of that
 * partition (backpressure) and stops the read when it returns false. `read` resolves once every
 * range was read to its end (or stopped). Nothing is committed: no group's position moves.
 */
export interface TopicReader {
  read(
    topic: string,
    ranges: readonly PartitionRange[],
    onBatch: (partition: number, messages: readonly IncomingMessage[], control: ReadControl) => Promise<boolean | void>,
  ): Promise<void>;
}

/** Implemented by transports whose client can read spans of a topic (the kafkajs adapter). */
export interface TopicReaderOptions {
  /** The client id the broker sees. Default: the transport's. */
  clientId?: string;
  /**
   * Adapters without assign() read as a throwaway group `<groupPrefix><uuid>`: a prefix the
   * client's ACLs allow (Read, Delete). Default `troupe-reader.`.
   */
  groupPrefix?: string;
}

export interface TopicReaderSource {
  reader(options?: TopicReaderOptions): TopicReader;
}

/** The topic reader of a transport; throws naming the adapter when it offers none. */
export function topicReaderOf(transport: Transport, options?: TopicReaderOptions): TopicReader {
  const source = transport as Partial<TopicReaderSource>;
  if (typeof source.reader !== 'function')
    throw new Error(`the transport ${transport.constructor?.name ?? ''} offers no topic reader`);
  return source.reader(options);
}
