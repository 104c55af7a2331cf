import {
  KAFKA_EXPORTER_METRIC as KE,
  LAG_EXPORTER_METRIC as KLE,
  METRIC,
} from '@troupe/observability';
import { Counter, Gauge, Registry } from 'prom-client';
import { GROUP_STATUSES } from './group-status';
import { LagReport } from './lag-report';

type Labels = Record<string, string | number>;
type Set = (labels: Labels, value: number) => void;

/** What the metrics read at scrape time: never Kafka, only the exporter's latest report. */
export interface LagMetricsSource {
  report(): LagReport | undefined;
  requestCounts(): Readonly<Record<string, number>>;
}

const PARTITION_MEMBER_LABELS = [
  'cluster_name',
  'group',
  'topic',
  'partition',
  'member_host',
  'consumer_id',
  'client_id',
];

/**
 * The exporter's instruments on the service's registry: kafka_exporter's names, Kafka Lag
 * Exporter's names, and Troupe's own (see libs/observability/src/metric-names.ts). Gauges are
 * rebuilt from the latest report at every scrape, so a group or topic that is gone disappears
 * with the next poll.
 */
export class LagMetrics {
  private readonly polls: Counter<'outcome'>;
  private readonly deletedGroups: Counter;
  private readonly sentRequests = new Map<string, number>();

  constructor(
    registry: Registry,
    private readonly source: LagMetricsSource,
    private readonly clusterName: string,
    version: string,
  ) {
    const registers = [registry];
    const gauge = (
      name: string,
      help: string,
      labelNames: string[],
      fill: (set: Set, report: LagReport) => void,
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          const report = source.report();
          if (report) fill((labels, value) => this.set(labels, value), report);
        },
      });
    const cluster = { cluster_name: clusterName };

    gauge(KE.brokers, 'Number of brokers in the Kafka cluster', [], (set, r) =>
      set({}, r.brokers.length),
    );
    gauge(KE.brokerInfo, 'A broker of the cluster', ['id', 'address'], (set, r) =>
      r.brokers.forEach((b) => set({ id: b.nodeId, address: `${b.host}:${b.port}` }, 1)),
    );
    gauge(KE.topicPartitions, 'Partitions of the topic', ['topic'], (set, r) =>
      r.topics.forEach((t) => set({ topic: t.topic }, t.partitions.length)),
    );
    const perPartition = (
      name: string,
      help: string,
      value: (p: LagReport['topics'][number]['partitions'][number]) => number,
    ) =>
      gauge(name, help, ['topic', 'partition'], (set, r) =>
        r.topics.forEach((t) =>
          t.partitions.forEach((p) => set({ topic: t.topic, partition: p.partition }, value(p))),
        ),
      );
    perPartition(
      KE.topicPartitionCurrentOffset,
      'Log end offset of the partition',
      (p) => p.latest,
    );
    perPartition(
      KE.topicPartitionOldestOffset,
      'Log start offset of the partition',
      (p) => p.earliest,
    );
    perPartition(KE.topicPartitionLeader, 'Broker id of the partition leader', (p) => p.leader);
    perPartition(KE.topicPartitionReplicas, 'Replicas of the partition', (p) => p.replicas.length);
    perPartition(
      KE.topicPartitionInSyncReplica,
      'In-sync replicas of the partition',
      (p) => p.isr.length,
    );
    perPartition(
      KE.topicPartitionLeaderIsPreferred,
      '1 if the partition is led by its preferred replica',
      (p) => (p.leader === p.replicas[0] ? 1 : 0),
    );
    perPartition(KE.topicPartitionUnderReplicated, '1 if the partition is under-replicated', (p) =>
      p.isr.length < p.replicas.length ? 1 : 0,
    );

    const rows = (r: LagReport) => r.groups.flatMap((g) => g.partitions);
    const consumedTopics = (r: LagReport) =>
      r.groups.flatMap((g) =>
        [...new Set(g.partitions.map((p) => p.topic))].map((topic) => ({
          group: g.group,
          topic,
          partitions: g.partitions.filter((p) => p.topic === topic && p.committed >= 0),
        })),
      );
    gauge(
      KE.consumerGroupCurrentOffset,
      'Committed offset of the group in the partition (-1: none)',
      ['consumergroup', 'topic', 'partition'],
      (set, r) =>
        rows(r).forEach((p) =>
          set({ consumergroup: p.group, topic: p.topic, partition: p.partition }, p.committed),
        ),
    );
    gauge(
      KE.consumerGroupLag,
      'Messages of the partition the group has not consumed (-1: no commit)',
      ['consumergroup', 'topic', 'partition'],
      (set, r) =>
        rows(r).forEach((p) =>
          set({ consumergroup: p.group, topic: p.topic, partition: p.partition }, p.lag),
        ),
    );
    gauge(
      KE.consumerGroupCurrentOffsetSum,
      'Committed offsets of the group in the topic, summed',
      ['consumergroup', 'topic'],
      (set, r) =>
        consumedTopics(r).forEach((t) =>
          set(
            { consumergroup: t.group, topic: t.topic },
            sum(t.partitions.map((p) => p.committed)),
          ),
        ),
    );
    gauge(
      KE.consumerGroupLagSum,
      'Lag of the group in the topic, summed over partitions with a commit',
      ['consumergroup', 'topic'],
      (set, r) =>
        consumedTopics(r).forEach((t) =>
          set({ consumergroup: t.group, topic: t.topic }, sum(t.partitions.map((p) => p.lag))),
        ),
    );
    gauge(KE.consumerGroupMembers, 'Members of the group', ['consumergroup'], (set, r) =>
      r.groups.forEach((g) => set({ consumergroup: g.group }, g.members)),
    );
    gauge(
      KE.buildInfo,
      'Identifies the exporter (Troupe lag exporter, kafka_exporter-compatible names)',
      ['version', 'exporter'],
      (set) => set({ version, exporter: 'troupe' }, 1),
    );

    const memberLabels = (p: ReturnType<typeof rows>[number]) => ({
      ...cluster,
      group: p.group,
      topic: p.topic,
      partition: p.partition,
      member_host: p.member?.clientHost ?? '',
      consumer_id: p.member?.memberId ?? '',
      client_id: p.member?.clientId ?? '',
    });
    const committedRows = (r: LagReport) => rows(r).filter((p) => p.committed >= 0);
    gauge(
      KLE.groupOffset,
      'Committed offset of the group in the partition',
      PARTITION_MEMBER_LABELS,
      (set, r) => committedRows(r).forEach((p) => set(memberLabels(p), p.committed)),
    );
    gauge(
      KLE.groupLag,
      'Lag of the group in the partition, in messages',
      PARTITION_MEMBER_LABELS,
      (set, r) => committedRows(r).forEach((p) => set(memberLabels(p), p.lag)),
    );
    gauge(
      KLE.groupLagSeconds,
      'Age of the oldest message of the partition the group has not consumed',
      PARTITION_MEMBER_LABELS,
      (set, r) =>
        committedRows(r).forEach(
          (p) => p.timeLag && set(memberLabels(p), round(p.timeLag.seconds)),
        ),
    );
    const perGroup = (
      name: string,
      help: string,
      value: (g: LagReport['groups'][number]) => number | undefined,
    ) =>
      gauge(name, help, ['cluster_name', 'group'], (set, r) =>
        r.groups.forEach((g) => {
          const v = value(g);
          if (v !== undefined) set({ ...cluster, group: g.group }, v);
        }),
      );
    const committedOf = (g: LagReport['groups'][number]) =>
      g.partitions.filter((p) => p.committed >= 0);
    perGroup(KLE.groupMaxLag, 'Largest partition lag of the group, in messages', (g) =>
      Math.max(0, ...committedOf(g).map((p) => p.lag)),
    );
    perGroup(KLE.groupSumLag, 'Lag of the group over all its partitions, in messages', (g) =>
      sum(committedOf(g).map((p) => p.lag)),
    );
    perGroup(KLE.groupMaxLagSeconds, 'Largest partition lag of the group, in seconds', (g) =>
      round(Math.max(0, ...committedOf(g).map((p) => p.timeLag?.seconds ?? 0))),
    );
    gauge(
      KLE.groupTopicSumLag,
      'Lag of the group in the topic, in messages',
      ['cluster_name', 'group', 'topic'],
      (set, r) =>
        consumedTopics(r).forEach((t) =>
          set({ ...cluster, group: t.group, topic: t.topic }, sum(t.partitions.map((p) => p.lag))),
        ),
    );
    const perClusterPartition = (
      name: string,
      help: string,
      value: (p: LagReport['topics'][number]['partitions'][number]) => number,
    ) =>
      gauge(name, help, ['cluster_name', 'topic', 'partition'], (set, r) =>
        r.topics.forEach((t) =>
          t.partitions.forEach((p) =>
            set({ ...cluster, topic: t.topic, partition: p.partition }, value(p)),
          ),
        ),
      );
    perClusterPartition(
      KLE.partitionLatestOffset,
      'Log end offset of the partition',
      (p) => p.latest,
    );
    perClusterPartition(
      KLE.partitionEarliestOffset,
      'Log start offset of the partition',
      (p) => p.earliest,
    );
    gauge(
      KLE.pollTimeMs,
      'How long the last poll of the cluster took',
      ['cluster_name'],
      (set, r) => set(cluster, r.pollMs),
    );

    gauge(
      METRIC.deadLetterDepth,
      "Messages kept in the group's dead-letter topic",
      ['group', 'topic'],
      (set, r) => r.deadLetters.forEach((d) => set({ group: d.group, topic: d.topic }, d.messages)),
    );
    gauge(
      METRIC.consumerGroupStatus,
      'Burrow-style group status: 1 for the current one of OK, WARN, STALL, STOP',
      ['group', 'status'],
      (set, r) =>
        r.groups.forEach((g) =>
          GROUP_STATUSES.forEach((status) =>
            set({ group: g.group, status }, g.status === status ? 1 : 0),
          ),
        ),
    );
    gauge(
      METRIC.consumerGroupInfo,
      'A consumer group with its delivery (once or broadcast) and declared group',
      ['group', 'declared_group', 'delivery'],
      (set, r) =>
        r.groups.forEach((g) =>
          set(
            { group: g.group, declared_group: g.delivery.declared, delivery: g.delivery.delivery },
            1,
          ),
        ),
    );
    gauge(
      METRIC.lagExporterLastSuccess,
      'When the last poll of the cluster succeeded',
      [],
      (set, r) => set({}, r.at / 1000),
    );
    gauge(
      METRIC.lagExporterLowerBounds,
      'Partitions whose time lag is a lower bound so far',
      [],
      (set, r) => set({}, rows(r).filter((p) => p.timeLag?.quality === 'lower-bound').length),
    );

    this.polls = new Counter({
      name: METRIC.lagExporterPolls,
      help: 'Polls of the cluster, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.polls.inc({ outcome: 'ok' }, 0);
    this.polls.inc({ outcome: 'failed' }, 0);
    this.deletedGroups = new Counter({
      name: METRIC.lagExporterDeletedGroups,
      help: 'Broadcast replica groups deleted after their replica was gone',
      registers,
    });
    const sent = this.sentRequests;
    new Counter({
      name: METRIC.lagExporterRequests,
      help: 'Kafka requests the exporter sent, by API',
      labelNames: ['api'],
      registers,
      collect() {
        for (const [api, count] of Object.entries(source.requestCounts())) {
          const delta = count - (sent.get(api) ?? 0);
          if (delta > 0) this.inc({ api }, delta);
          sent.set(api, count);
        }
      },
    });
  }

  polled(outcome: 'ok' | 'failed'): void {
    this.polls.inc({ outcome });
  }

  groupsDeleted(count: number): void {
    this.deletedGroups.inc(count);
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
