import { topicNames } from '@troupe/schemas';
import type { BrokerNode } from '@troupe/messaging';
import { GroupDelivery } from './broadcast-groups';
import { ClusterSnapshot, TopicState } from './cluster-snapshot';
import { GroupStatus } from './group-status';
import { TimeLag } from './time-lag.estimator';

/** One group's position in one partition. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** The next offset the group reads; -1 without a commit (kafka_exporter's convention). */
  committed: number;
  latest: number;
  /** latest - committed, never negative; -1 without a commit. */
  lag: number;
  /** Undefined without a commit, or before the exporter has seen the partition twice. */
  timeLag?: TimeLag;
  /** The member the partition is assigned to, if any. */
  member?: { memberId: string; clientId: string; clientHost: string };
}

export interface GroupReport {
  group: string;
  state: string;
  members: number;
  delivery: GroupDelivery;
  status: GroupStatus;
  partitions: PartitionLag[];
}

/** Messages kept in a group's dead-letter topic (`<group>.dlq`), summed over its partitions. */
export interface DeadLetterDepth {
  group: string;
  topic: string;
  messages: number;
}

/** What the metrics show until the next poll. */
export interface LagReport {
  at: number;
  pollMs: number;
  brokers: BrokerNode[];
  topics: TopicState[];
  groups: GroupReport[];
  deadLetters: DeadLetterDepth[];
}

export interface ReportInputs {
  deliveryOf(group: string): GroupDelivery;
  timeLagOf(topic: string, partition: number, next: number): TimeLag | undefined;
  statusOf(group: string, partitions: readonly PartitionLag[], members: number): GroupStatus;
}

/**
 * Turns a snapshot into the figures the metrics publish. For every topic a group has committed
 * in, every partition is listed: those without a commit with committed and lag -1, as
 * kafka_exporter does (alert on them), and left out of the sums.
 */
export function buildReport(
  snapshot: ClusterSnapshot,
  pollMs: number,
  inputs: ReportInputs,
  topicPrefix = '',
): LagReport {
  const topics = new Map(snapshot.topics.map((t) => [t.topic, t]));
  const groups: GroupReport[] = snapshot.groups.map((g) => {
    const owners = new Map<string, PartitionLag['member']>();
    for (const m of g.members)
      for (const [topic, partitions] of Object.entries(m.assignment))
        for (const p of partitions)
          owners.set(`${p}@${topic}`, {
            memberId: m.memberId,
            clientId: m.clientId,
            clientHost: m.clientHost,
          });
    const partitions: PartitionLag[] = [];
    for (const [topic, committed] of g.committed) {
      const state = topics.get(topic);
      if (!state) continue; // topic deleted, or its offsets failed this poll
      for (const p of state.partitions) {
        const next = committed.get(p.partition);
        const base = {
          group: g.group,
          topic,
          partition: p.partition,
          latest: p.latest,
          member: owners.get(`${p.partition}@${topic}`),
        };
        if (next === undefined) {
          partitions.push({ ...base, committed: -1, lag: -1 });
          continue;
        }
        // Messages below the log start are gone: the oldest one the group can still read is there.
        const readable = Math.max(next, p.earliest);
        partitions.push({
          ...base,
          committed: next,
          lag: Math.max(0, p.latest - next),
          timeLag: inputs.timeLagOf(topic, p.partition, readable),
        });
      }
    }
    const members = g.members.length;
    return {
      group: g.group,
      state: g.state,
      members,
      delivery: inputs.deliveryOf(g.group),
      status: inputs.statusOf(g.group, partitions, members),
      partitions,
    };
  });
  const deadLetters: DeadLetterDepth[] = [];
  for (const t of snapshot.topics) {
    const suffix = topicNames.deadLetter('');
    if (
      !t.topic.startsWith(topicPrefix) ||
      !t.topic.endsWith(suffix) ||
      t.topic.length <= topicPrefix.length + suffix.length
    )
      continue;
    const group = t.topic.slice(topicPrefix.length, t.topic.length - suffix.length);
    deadLetters.push({
      group,
      topic: t.topic,
      messages: t.partitions.reduce((sum, p) => sum + Math.max(0, p.latest - p.earliest), 0),
    });
  }
  return {
    at: snapshot.at,
    pollMs,
    brokers: snapshot.brokers,
    topics: snapshot.topics,
    groups,
    deadLetters,
  };
}
