import type {
  ClusterAdmin,
  CommittedOffset,
  ConsumerGroupDescription,
  GroupDeletionFailure,
} from '@troupe/messaging';
import { Registry } from 'prom-client';
import { LagExporter } from './lag-exporter';

/** A cluster in memory: two topics, a once group and a broadcast replica group. */
class FakeCluster implements ClusterAdmin {
  down = false;
  calls: string[] = [];
  ends: Record<string, number[]> = { 'shop.order.events': [10, 20], 'payments.dlq': [3] };
  starts: Record<string, number[]> = { 'shop.order.events': [0, 5], 'payments.dlq': [1] };
  groups: Record<
    string,
    { members: ConsumerGroupDescription['members']; committed: CommittedOffset[] }
  > = {
    payments: {
      members: [
        {
          memberId: 'm-1',
          clientId: 'troupe',
          clientHost: '/10.0.0.1',
          assignment: { 'shop.order.events': [0, 1] },
        },
      ],
      committed: [{ topic: 'shop.order.events', partition: 0, offset: '4' }],
    },
    'feed.replica-1': {
      members: [],
      committed: [
        { topic: 'shop.order.events', partition: 0, offset: '10' },
        { topic: 'shop.order.events', partition: 1, offset: '20' },
      ],
    },
  };
  refuseDeletion?: string;

  private call(name: string) {
    this.calls.push(name);
    if (this.down)
      throw Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
        name: 'KafkaJSConnectionError',
      });
  }
  async describeCluster() {
    this.call('describeCluster');
    return {
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
      topics: [...Object.keys(this.ends), '__consumer_offsets'].map((topic) => ({
        topic,
        partitions: (this.ends[topic] ?? [0]).map((_, partition) => ({
          partition,
          leader: 1,
          replicas: [1],
          isr: [1],
        })),
      })),
    };
  }
  async topicOffsets(topic: string) {
    this.call(`topicOffsets ${topic}`);
    return this.ends[topic].map((end, partition) => ({
      partition,
      earliest: String(this.starts[topic][partition]),
      latest: String(end),
    }));
  }
  async offsetsAtTime(topic: string) {
    this.call(`offsetsAtTime ${topic}`);
    return this.ends[topic].map((_, partition) => ({
      partition,
      offset: String(this.starts[topic][partition]),
    }));
  }
  async listGroups() {
    this.call('listGroups');
    return Object.keys(this.groups).map((group) => ({ group, protocolType: 'consumer' }));
  }
  async describeGroups(groups: readonly string[]) {
    this.call('describeGroups');
    return groups.map((group) => ({
      group,
      state: this.groups[group].members.length ? 'Stable' : 'Empty',
      members: this.groups[group].members,
    }));
  }
  async committedOffsets(group: string) {
    this.call(`committedOffsets ${group}`);
    return this.groups[group].committed;
  }
  async deleteGroups(groups: readonly string[]): Promise<GroupDeletionFailure[]> {
    this.call(`deleteGroups ${groups.join(',')}`);
    if (this.refuseDeletion)
      return groups.map((group) => ({ group, reason: this.refuseDeletion! }));
    for (const g of groups) delete this.groups[g];
    return [];
  }
  requestCounts() {
    return { OffsetFetch: this.calls.filter((c) => c.startsWith('committedOffsets')).length };
  }
  async close() {}
}

async function value(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l),
  )?.value;
}

describe('LagExporter', () => {
  let clock = 1_000_000;
  const now = () => clock;
  const setup = (options = {}) => {
    const cluster = new FakeCluster();
    const registry = new Registry();
    const exporter = new LagExporter(
      cluster,
      registry,
      {
        pollIntervalMs: 5_000,
        broadcastGroups: ['feed'],
        broadcastGroupExpiryMs: 60_000,
        ...options,
      },
      { now, version: '1.2.3' },
    );
    return { cluster, registry, exporter };
  };

  it('publishes offsets and lag under kafka_exporter names, with -1 where a group has no commit', async () => {
    const { registry, exporter } = setup();
    await exporter.pollOnce();
    expect(
      await value(registry, 'kafka_consumergroup_lag', {
        consumergroup: 'payments',
        topic: 'shop.order.events',
        partition: '0',
      }),
    ).toBe(6);
    expect(
      await value(registry, 'kafka_consumergroup_lag', {
        consumergroup: 'payments',
        partition: '1',
      }),
    ).toBe(-1);
    expect(
      await value(registry, 'kafka_consumergroup_current_offset', {
        consumergroup: 'payments',
        partition: '1',
      }),
    ).toBe(-1);
    expect(
      await value(registry, 'kafka_consumergroup_lag_sum', { consumergroup: 'payments' }),
    ).toBe(6);
    expect(
      await value(registry, 'kafka_consumergroup_members', { consumergroup: 'payments' }),
    ).toBe(1);
    expect(
      await value(registry, 'kafka_topic_partition_current_offset', {
        topic: 'shop.order.events',
        partition: '1',
      }),
    ).toBe(20);
    expect(
      await value(registry, 'kafka_topic_partition_oldest_offset', {
        topic: 'shop.order.events',
        partition: '1',
      }),
    ).toBe(5);
    expect(await value(registry, 'kafka_topic_partitions', { topic: 'shop.order.events' })).toBe(2);
    expect(
      await value(registry, 'kafka_topic_partitions', { topic: '__consumer_offsets' }),
    ).toBeUndefined();
    expect(await value(registry, 'kafka_brokers')).toBe(1);
    expect(await value(registry, 'kafka_exporter_build_info', { version: '1.2.3' })).toBe(1);
  });

  it("publishes Kafka Lag Exporter's names with the owning member, and Troupe's own", async () => {
    const { registry, exporter } = setup();
    await exporter.pollOnce();
    const labels = {
      cluster_name: 'troupe',
      group: 'payments',
      topic: 'shop.order.events',
      partition: '0',
      member_host: '/10.0.0.1',
      consumer_id: 'm-1',
      client_id: 'troupe',
    };
    expect(await value(registry, 'kafka_consumergroup_group_lag', labels)).toBe(6);
    expect(await value(registry, 'kafka_consumergroup_group_offset', labels)).toBe(4);
    expect(await value(registry, 'kafka_consumergroup_group_sum_lag', { group: 'payments' })).toBe(
      6,
    );
    expect(await value(registry, 'kafka_consumergroup_group_max_lag', { group: 'payments' })).toBe(
      6,
    );
    expect(
      await value(registry, 'kafka_consumergroup_group_topic_sum_lag', {
        group: 'payments',
        topic: 'shop.order.events',
      }),
    ).toBe(6);
    expect(
      await value(registry, 'kafka_partition_latest_offset', {
        topic: 'payments.dlq',
        partition: '0',
      }),
    ).toBe(3);
    expect(
      await value(registry, 'troupe_dead_letter_depth', {
        group: 'payments',
        topic: 'payments.dlq',
      }),
    ).toBe(2);
    expect(
      await value(registry, 'troupe_consumergroup_status', { group: 'payments', status: 'OK' }),
    ).toBe(1);
    expect(
      await value(registry, 'troupe_consumergroup_info', {
        group: 'feed.replica-1',
        declared_group: 'feed',
        delivery: 'broadcast',
      }),
    ).toBe(1);
    expect(
      await value(registry, 'troupe_consumergroup_info', { group: 'payments', delivery: 'once' }),
    ).toBe(1);
  });

  it('estimates the time lag from the log end history', async () => {
    const { cluster, registry, exporter } = setup({ timeLookupsPerPoll: 0 });
    await exporter.pollOnce(); // the log end of partition 0 is 10 at t0
    cluster.ends['shop.order.events'][0] = 20;
    clock += 10_000;
    await exporter.pollOnce(); // 20 at t0 + 10 s; offset 4 predates the history
    expect(
      exporter.report()!.groups.find((g) => g.group === 'payments')!.partitions[0].timeLag,
    ).toEqual({ seconds: 10, quality: 'lower-bound' });
    cluster.groups.payments.committed = [
      { topic: 'shop.order.events', partition: 0, offset: '14' },
    ];
    clock += 5_000;
    await exporter.pollOnce();
    // Offset 14 was the 5th message after 10, appended half-way through those 10 s: 10 s ago.
    expect(
      await value(registry, 'kafka_consumergroup_group_lag_seconds', {
        group: 'payments',
        partition: '0',
      }),
    ).toBe(10);
    expect(
      await value(registry, 'kafka_consumergroup_group_max_lag_seconds', { group: 'payments' }),
    ).toBe(10);
  });

  it('sends one offset fetch per group per poll, and nothing to Kafka when scraped', async () => {
    const { cluster, registry, exporter } = setup();
    await exporter.pollOnce();
    await exporter.pollOnce();
    await registry.metrics();
    await registry.metrics();
    expect(cluster.calls.filter((c) => c === 'committedOffsets payments')).toHaveLength(2);
    expect(cluster.calls.filter((c) => c.startsWith('committedOffsets'))).toHaveLength(4);
    expect(
      await value(registry, 'troupe_lag_exporter_requests_total', { api: 'OffsetFetch' }),
    ).toBe(4);
  });

  it('keeps the last figures through a failed poll and counts it; the next poll starts over', async () => {
    const { cluster, registry, exporter } = setup({ pollIntervalMs: 100, statusWindowMs: 200 });
    exporter.start();
    try {
      await until(
        async () =>
          (await value(registry, 'troupe_lag_exporter_polls_total', { outcome: 'ok' }))! >= 1,
      );
      cluster.down = true;
      await until(
        async () =>
          (await value(registry, 'troupe_lag_exporter_polls_total', { outcome: 'failed' }))! >= 2,
      );
      expect(
        await value(registry, 'kafka_consumergroup_lag', {
          consumergroup: 'payments',
          partition: '0',
        }),
      ).toBe(6);
      cluster.down = false;
      cluster.ends['shop.order.events'][0] = 30;
      await until(
        async () =>
          (await value(registry, 'kafka_consumergroup_lag', {
            consumergroup: 'payments',
            partition: '0',
          })) === 26,
      );
    } finally {
      await exporter.stop();
    }
  });

  it('deletes a broadcast replica group gone for the expiry time and stops reporting it', async () => {
    const { cluster, registry, exporter } = setup();
    await exporter.pollOnce();
    clock += 30_000;
    await exporter.pollOnce();
    expect(cluster.calls.some((c) => c.startsWith('deleteGroups'))).toBe(false);
    clock += 30_000;
    await exporter.pollOnce();
    expect(cluster.calls).toContain('deleteGroups feed.replica-1');
    expect(
      await value(registry, 'kafka_consumergroup_members', { consumergroup: 'feed.replica-1' }),
    ).toBeUndefined();
    expect(await value(registry, 'troupe_lag_exporter_deleted_groups_total')).toBe(1);
    expect(
      await value(registry, 'kafka_consumergroup_members', { consumergroup: 'payments' }),
    ).toBe(1); // a once group stays
  });

  it('keeps reporting a replica group the broker would not delete because its replica came back', async () => {
    const { cluster, registry, exporter } = setup();
    cluster.refuseDeletion = 'NON_EMPTY_GROUP';
    await exporter.pollOnce();
    clock += 60_000;
    await exporter.pollOnce();
    expect(cluster.calls).toContain('deleteGroups feed.replica-1');
    expect(
      await value(registry, 'kafka_consumergroup_members', { consumergroup: 'feed.replica-1' }),
    ).toBe(0);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
