import type { BrokerNode, ClusterAdmin, GroupMember, PartitionInfo } from '@troupe/messaging';

export interface PartitionState extends PartitionInfo {
  earliest: number;
  latest: number;
}

export interface TopicState {
  topic: string;
  partitions: PartitionState[];
}

export interface GroupState {
  group: string;
  state: string;
  members: GroupMember[];
  /** Committed offsets (the next offset to read) by topic and partition; only partitions with a commit. */
  committed: Map<string, Map<number, number>>;
}

/** What one poll saw of the cluster. */
export interface ClusterSnapshot {
  /** When the poll started (epoch ms). */
  at: number;
  brokers: BrokerNode[];
  topics: TopicState[];
  groups: GroupState[];
  /** Groups or topics whose part of the poll failed (reported next time). */
  failures: string[];
}

export interface SnapshotFilter {
  topicExclude: RegExp;
  groupExclude: RegExp;
  concurrency: number;
}

/**
 * Reads one snapshot. Group offsets are read before the topics' end offsets, as Kafka's
 * consumer-group tool does, so a lag is never negative (at worst it counts a message produced
 * during the poll). Costs: one list-groups request per broker, one describe-groups per
 * coordinator, one offset-fetch per group, one metadata request and two list-offsets requests
 * per topic. A group or topic whose own request fails is left out of this snapshot (and named
 * in `failures`); a cluster that cannot be reached fails the whole poll.
 */
export async function readSnapshot(
  admin: ClusterAdmin,
  filter: SnapshotFilter,
  now: () => number = Date.now,
): Promise<ClusterSnapshot> {
  const at = now();
  const failures: string[] = [];
  const listed = (await admin.listGroups())
    .map((g) => g.group)
    .filter((g) => !filter.groupExclude.test(g));
  const described = await admin.describeGroups(listed);
  const groups = (
    await mapLimited(
      described,
      filter.concurrency,
      async (description): Promise<GroupState | undefined> => {
        try {
          const committed = new Map<string, Map<number, number>>();
          for (const c of await admin.committedOffsets(description.group)) {
            const offset = Number(c.offset);
            if (offset < 0 || filter.topicExclude.test(c.topic)) continue;
            if (!committed.has(c.topic)) committed.set(c.topic, new Map());
            committed.get(c.topic)!.set(c.partition, offset);
          }
          return {
            group: description.group,
            state: description.state,
            members: description.members,
            committed,
          };
        } catch (error) {
          failures.push(`group ${description.group}: ${(error as Error).message}`);
          return undefined;
        }
      },
    )
  ).filter((g): g is GroupState => g !== undefined);

  const cluster = await admin.describeCluster();
  const topics = (
    await mapLimited(
      cluster.topics.filter((t) => !filter.topicExclude.test(t.topic)),
      filter.concurrency,
      async (info): Promise<TopicState | undefined> => {
        try {
          const offsets = new Map(
            (await admin.topicOffsets(info.topic)).map((o) => [o.partition, o]),
          );
          return {
            topic: info.topic,
            partitions: info.partitions
              .filter((p) => offsets.has(p.partition))
              .map((p) => ({
                ...p,
                earliest: Number(offsets.get(p.partition)!.earliest),
                latest: Number(offsets.get(p.partition)!.latest),
              }))
              .sort((a, b) => a.partition - b.partition),
          };
        } catch (error) {
          failures.push(`topic ${info.topic}: ${(error as Error).message}`);
          return undefined;
        }
      },
    )
  ).filter((t): t is TopicState => t !== undefined);
  return { at, brokers: cluster.brokers, topics, groups, failures };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}
