import type { RelayPublisher } from '@troupe/outbox';

/** A message as it arrives from the broker. Header values are decoded as UTF-8 strings. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  /** The broker's offset, a decimal string (64-bit). */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, epoch milliseconds. */
  timestamp: number;
}

/** A message to send. */
export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * Consecutive messages of one partition, in offset order, with the controls for that
 * partition. Contract: the transport delivers one batch per partition at a time; batches of
 * different partitions may run concurrently.
 */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingMessage[];
  /** Records that everything up to and including `message` is done; offsets commit later. */
  markDone(message: IncomingMessage): void;
  /** Commits what was marked done. Does nothing if the partition was revoked meanwhile. */
  commit(): Promise<void>;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once the partition was revoked or the consumer is stopping: stop working on the batch. */
  isActive(): boolean;
}

export interface SubscribeOptions {
  /** The consumer group id, exactly as given (no suffixes are added). */
  group: string;
  topics: readonly string[];
  /** Where a group without committed offsets starts: earliest (true) or latest (false). */
  fromBeginning: boolean;
  /** Partitions worked on at the same time. */
  partitionConcurrency: number;
}

export type CrashListener = (error: Error) => void;

/** A running group membership. */
export interface Subscription {
  readonly group: string;
  /** True while the consumer is a member of its group with partitions (possibly zero) assigned. */
  isMember(): boolean;
  /** Called when the consumer crashes for good (also for a crash before the listener was added); the caller decides whether to restart. */
  onCrash(listener: CrashListener): void;
  /** Stops fetching, waits for batches in flight, commits and leaves the group. */
  stop(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
}

/**
 * The port between Troupe and a Kafka client (the only place that knows one). Implementations
 * must pass the conformance suite in test/integration/transport-conformance.test.ts.
 */
export interface Transport {
  /** A publisher; see {@link RelayPublisher} for the contract. `close()` ends it. */
  publisher(): Promise<Publisher>;
  subscribe(
    options: SubscribeOptions,
    handle: (batch: PartitionBatch) => Promise<void>,
  ): Promise<Subscription>;
  /** Creates topics that do not exist; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  close(): Promise<void>;
}

export interface Publisher extends RelayPublisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}
