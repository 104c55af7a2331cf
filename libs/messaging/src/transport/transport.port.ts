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
 * different partitions may run concurrently. Messages not marked done are delivered again
 * (to this consumer's next batch of the partition, or to whichever consumer gets it next).
 */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingMessage[];
  /**
   * Changes whenever the consumer's assignment may have changed (a rebalance): state a consumer
   * keeps about a partition is valid only within one epoch, since another consumer may have
   * owned the partition in between.
   */
  readonly assignmentEpoch: number;
  /** Records that everything up to and including `message` is done. */
  markDone(message: IncomingMessage): void;
  /**
   * Commits the group's offset of this partition past what was marked done, now (not at some
   * later interval). Does nothing if the partition was revoked meanwhile.
   */
  commit(): Promise<void>;
  /** Keeps the group membership alive during long work; learns of a rebalance (then isActive turns false). */
  heartbeat(): Promise<void>;
  /**
   * False once the partition was revoked (a rebalance began: another consumer may get it), or the
   * consumer is stopping: stop working on the batch; what was not marked done is redelivered.
   */
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
  /** Stops fetching these topics (all partitions) until resumed; batches in flight finish. */
  pause(topics: readonly string[]): void;
  resume(topics: readonly string[]): void;
  /** Stops fetching, waits for batches in flight, commits and leaves the group. */
  stop(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Topic-level settings for a topic that is created, e.g. `retention.ms`. */
  config?: Record<string, string>;
}

/** What the broker says of an existing topic. */
export interface TopicDescription {
  topic: string;
  partitions: number;
  /** retention.ms; null when messages are kept forever (-1); undefined when the client may not read it (no DescribeConfigs). */
  retentionMs?: number | null;
  /** segment.ms: a message can outlive retention.ms by up to this (segments are deleted whole). */
  segmentMs?: number | null;
}

/**
 * The port between Troupe and a Kafka client (the only place that knows one). Implementations
 * must pass the conformance suite (test/support/transport-conformance.ts, run by
 * test/integration/transport-conformance.test.ts). Errors they throw are TroupeErrors whose
 * `retriable` says whether trying again later can succeed (a broker that is away: true; a
 * message too large or a topic that does not exist: false).
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
  /** Describes existing topics; a topic that does not exist is missing from the answer. */
  describeTopics(topics: readonly string[]): Promise<TopicDescription[]>;
  close(): Promise<void>;
}

export interface Publisher extends RelayPublisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}
