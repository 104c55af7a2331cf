import { Admin, AssignerProtocol, Kafka } from 'kafkajs';
import {
  BrokerNode,
  ClusterAdmin,
  CommittedOffset,
  ConsumerGroupDescription,
  ConsumerGroupListing,
  GroupDeletionFailure,
  OffsetAtTime,
  PartitionOffsets,
  TopicInfo,
} from '../cluster-admin.port';

/**
 * The cluster admin port on kafkajs' admin client. It connects on first use; after a call that
 * failed for want of a connection it drops the client, so the next call starts from a fresh
 * connection and fresh metadata whatever state the old client's broker pool was left in (the
 * broker stop/start test in test/integration/lag-monitoring.test.ts covers the way back).
 * Requests are counted from kafkajs' own instrumentation events.
 */
export class KafkajsClusterAdmin implements ClusterAdmin {
  private admin?: Admin;
  private connecting?: Promise<Admin>;
  private readonly counts: Record<string, number> = {};
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { retries: number },
    private readonly onClose: () => void = () => undefined,
  ) {}

  describeCluster(): Promise<{ brokers: BrokerNode[]; topics: TopicInfo[] }> {
    return this.call(async (admin) => {
      const [cluster, metadata] = await Promise.all([
        admin.describeCluster(),
        admin.fetchTopicMetadata(),
      ]);
      return {
        brokers: cluster.brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
        topics: metadata.topics.map((t) => ({
          topic: t.name,
          partitions: t.partitions.map((p) => ({
            partition: p.partitionId,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
          })),
        })),
      };
    });
  }

  topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    return this.call(async (admin) =>
      (await admin.fetchTopicOffsets(topic)).map((p) => ({
        partition: p.partition,
        earliest: p.low,
        latest: p.high,
      })),
    );
  }

  offsetsAtTime(topic: string, timestamp: number): Promise<OffsetAtTime[]> {
    return this.call(async (admin) =>
      (await admin.fetchTopicOffsetsByTimestamp(topic, timestamp)).map((p) => ({
        partition: p.partition,
        offset: p.offset,
      })),
    );
  }

  listGroups(): Promise<ConsumerGroupListing[]> {
    return this.call(async (admin) =>
      (await admin.listGroups()).groups.map((g) => ({
        group: g.groupId,
        protocolType: g.protocolType,
      })),
    );
  }

  describeGroups(groups: readonly string[]): Promise<ConsumerGroupDescription[]> {
    if (groups.length === 0) return Promise.resolve([]);
    return this.call(async (admin) =>
      (await admin.describeGroups([...groups])).groups.map((g) => ({
        group: g.groupId,
        state: g.state,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: decodeAssignment(m.memberAssignment),
        })),
      })),
    );
  }

  committedOffsets(group: string): Promise<CommittedOffset[]> {
    // No topics: kafkajs sends a null topic list, which asks the coordinator for all of them.
    return this.call(async (admin) =>
      (await admin.fetchOffsets({ groupId: group })).flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset })),
      ),
    );
  }

  async deleteGroups(groups: readonly string[]): Promise<GroupDeletionFailure[]> {
    if (groups.length === 0) return [];
    try {
      await this.call((admin) => admin.deleteGroups([...groups]));
      return [];
    } catch (error) {
      const failed = (
        error as {
          groups?: Array<{ groupId: string; error?: { type?: string; message?: string } }>;
        }
      ).groups;
      if (!failed) throw error;
      return failed.map((f) => ({
        group: f.groupId,
        reason: f.error?.type ?? f.error?.message ?? 'unknown',
      }));
    }
  }

  requestCounts(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drop();
    this.onClose();
  }

  private async call<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the cluster admin is closed');
    const admin = await this.connected();
    try {
      return await work(admin);
    } catch (error) {
      if (lostConnection(error)) await this.drop();
      throw error;
    }
  }

  private connected(): Promise<Admin> {
    if (this.admin) return Promise.resolve(this.admin);
    this.connecting ??= (async () => {
      const admin = this.kafka.admin({
        retry: { retries: this.options.retries, initialRetryTime: 200, maxRetryTime: 2000 },
      });
      admin.on(admin.events.REQUEST, (event) => {
        const api = (event.payload as { apiName: string }).apiName;
        this.counts[api] = (this.counts[api] ?? 0) + 1;
      });
      try {
        await admin.connect();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      this.admin = admin;
      return admin;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

/** kafkajs wraps the cause of a retried failure in `originalError`. */
function lostConnection(error: unknown): boolean {
  for (
    let e = error as { name?: string; originalError?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.originalError as typeof e, depth++
  ) {
    if (e.name && CONNECTION_ERRORS.has(e.name)) return true;
  }
  return false;
}

function decodeAssignment(buffer: Buffer): Record<string, number[]> {
  if (!buffer || buffer.length === 0) return {};
  try {
    return AssignerProtocol.MemberAssignment.decode(buffer)?.assignment ?? {};
  } catch {
    return {}; // not the consumer protocol's assignment format
  }
}
