import type { Transport } from './transport.port';

/** A broker of the cluster. */
export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
}

/** One partition as the cluster's metadata describes it. */
export interface PartitionInfo {
  partition: number;
  /** Broker id of the leader; -1 while there is none. */
  leader: number;
  /** Broker ids holding a replica, the preferred leader first. */
  replicas: number[];
  /** Broker ids of the in-sync replicas. */
  isr: number[];
}

export interface TopicInfo {
  topic: string;
  partitions: PartitionInfo[];
}

/** Log start and end of one partition. Offsets are decimal strings (64-bit). */
export interface PartitionOffsets {
  partition: number;
  /** The log start offset: the oldest message still kept. */
  earliest: string;
  /** The log end offset (high watermark): the offset the next message will get. */
  latest: string;
}

export interface ConsumerGroupListing {
  group: string;
  /** 'consumer' for ordinary consumer groups; '' for groups that only store offsets. */
  protocolType: string;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** Partitions assigned to this member, by topic. Empty while the group rebalances. */
  assignment: Record<string, number[]>;
}

export interface ConsumerGroupDescription {
  group: string;
  /** The broker's state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  state: string;
  members: GroupMember[];
}

/** A group's committed position in one partition: the offset of the next message it will read. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  /** Decimal string; '-1' when the group has no committed offset for the partition. */
  offset: string;
}

/** The first offset whose message timestamp is at or after a time. */
export interface OffsetAtTime {
  partition: number;
  /** Decimal string; the log end offset when no message is that recent. */
  offset: string;
}

/** Why a group could not be deleted (for example, it still has members). */
export interface GroupDeletionFailure {
  group: string;
  reason: string;
}

/**
 * Read-mostly administration of the cluster for platform tools: the lag exporter, replay and
 * redrive. Each method is one logical question to the cluster; the comments say which Kafka
 * requests it costs, so callers can keep within a request budget. Methods throw when the
 * cluster cannot be reached; the next call tries again (the adapter reconnects as needed), so
 * a caller that polls survives the broker going away and coming back. Safe to call
 * concurrently. `close()` ends it; the transport that made it closes it too.
 */
export interface ClusterAdmin {
  /** The brokers and every topic's partitions (one metadata request). */
  describeCluster(): Promise<{ brokers: BrokerNode[]; topics: TopicInfo[] }>;
  /** Log start and end offsets of every partition of a topic (two list-offsets requests). */
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /**
   * For each partition of a topic, the first offset whose message timestamp is at or after
   * `timestamp` (epoch ms); the broker answers from its time index (list-offsets requests).
   */
  offsetsAtTime(topic: string, timestamp: number): Promise<OffsetAtTime[]>;
  /** Every consumer group the brokers know (one list-groups request per broker). */
  listGroups(): Promise<ConsumerGroupListing[]>;
  /** State and members of groups (one describe-groups request per coordinator). */
  describeGroups(groups: readonly string[]): Promise<ConsumerGroupDescription[]>;
  /**
   * Everything a group has committed, over all topics, in exactly one offset-fetch request to
   * the group's coordinator (plus the coordinator look-up).
   */
  committedOffsets(group: string): Promise<CommittedOffset[]>;
  /**
   * Deletes groups that have no members (their committed offsets go with them). Groups that
   * cannot be deleted are returned with the broker's reason; the others are gone.
   */
  deleteGroups(groups: readonly string[]): Promise<GroupDeletionFailure[]>;
  /** Requests sent since this admin was made, by Kafka API name (e.g. OffsetFetch). */
  requestCounts(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** Implemented by transports whose client can also administer the cluster (the kafkajs adapter). */
export interface ClusterAdminSource {
  /** A new admin client on the transport's connection settings; closed with the transport. */
  admin(options?: ClusterAdminOptions): ClusterAdmin;
}

export interface ClusterAdminOptions {
  /** The client id the broker sees. Default: the transport's client id. */
  clientId?: string;
  /** Attempts of one request before a method throws. Default 2 (fail fast: pollers try again). */
  retries?: number;
}

/** The cluster admin of a transport; throws naming the adapter when it offers none. */
export function clusterAdminOf(transport: Transport, options?: ClusterAdminOptions): ClusterAdmin {
  const source = transport as Partial<ClusterAdminSource>;
  if (typeof source.admin !== 'function')
    throw new Error(`the transport ${transport.constructor?.name ?? ''} offers no cluster admin`);
  return source.admin(options);
}
