import { INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  EventContext,
  KafkajsTransport,
  NonRetriableError,
  OnEvent,
  loadConfig,
} from '@troupe/messaging';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompensationConfig } from '../../apps/compensation/src/compensation.config';
import { CompensationModule } from '../../apps/compensation/src/compensation.module';
import { dashboardQueries, resolveQuery } from '../../infra/src/grafana-dashboards';
import { LocalInfra } from '../../infra/src/local-infra';
import {
  PrometheusBinaries,
  ensurePrometheus,
  isUnavailable,
} from '../../infra/src/prometheus-binaries';
import { rulesWithShortFor } from '../../infra/src/prometheus-rules';
import { serviceDatabaseUrl } from '../../infra/src/service-databases';
import { loadSettings } from '../../infra/src/settings';
import { deleteFromBroker } from '../support/broker-cleanup';
import { describeGroupWithKafkaTool } from '../support/consumer-group-tool';
import { serveMetrics } from '../support/metrics-server';
import { PrometheusServer } from '../../infra/src/prometheus-server';
import { RunningService, startService } from '../support/service-harness';
import { exportedSamples, sampleValue } from '../support/metrics-text';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

const binaries = ensurePrometheus();
const withPrometheus = isUnavailable(binaries) ? describe.skip : describe;
if (isUnavailable(binaries))
  process.stdout.write(`lag monitoring: SKIPPED: ${binaries.unavailable}\n`);

const POLL_MS = 1000;
const topic = uniqueName('it.lag.events');
const group = uniqueName('it-lag');
const feed = uniqueName('it-feed'); // a declared broadcast group: replicas consume as `<feed>.<instance>`
const Parcel = defineTestEvent<{ parcelId: string; mode: string }>(
  topic,
  {
    type: 'record',
    name: 'ParcelSorted',
    namespace: 'troupe.it',
    fields: [
      { name: 'parcelId', type: 'string' },
      { name: 'mode', type: 'string' },
    ],
  },
  'parcelId',
);
type Parcel = InstanceType<typeof Parcel> & { parcelId: string; mode: string };

/** Handles parcels: "poison" ones are dead-lettered at once, "flaky" ones fail once (a parked retry). */
@Injectable()
class ParcelHandlers {
  static readonly failedOnce = new Set<string>();

  @OnEvent(Parcel, { group, retry: { maxAttempts: 3, initialDelayMs: 1500 } })
  async sort(event: Parcel, ctx: EventContext): Promise<void> {
    if (event.mode === 'poison') throw new NonRetriableError('this parcel cannot be sorted');
    if (event.mode === 'flaky' && !ParcelHandlers.failedOnce.has(ctx.eventId)) {
      ParcelHandlers.failedOnce.add(ctx.eventId);
      throw new Error('the sorter jammed once');
    }
    await ctx.tx.query('SELECT 1');
  }
}

/**
 * The lag exporter (the compensation app) with the services it watches, scraped by a real
 * Prometheus that evaluates Troupe's alert rules; Kafka's own consumer-group tool as the judge.
 */
withPrometheus('lag monitoring with a real Prometheus', () => {
  const infra = new LocalInfra(undefined, () => undefined);
  let producerDb: Db;
  let consumerDb: Db;
  let producer: RunningService;
  let consumer: RunningService;
  let consumerStopped = false;
  let compensation: INestApplication;
  let compensationUrl: string;
  let prometheus: PrometheusServer;
  const closers: Array<() => Promise<void>> = [];
  const bootstrap = testInfra.kafkaBrokers()[0];

  const send = (parcels: Array<{ parcelId: string; mode: string }>) =>
    producerDb.transaction((tx) =>
      producer.outbox.addAll(
        tx,
        parcels.map((p) => ({ event: Parcel.of(p) })),
      ),
    );
  const unpublished = async () =>
    (await producerDb.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0]
      .n as number;
  const scrape = async () =>
    exportedSamples(await (await fetch(`${compensationUrl}/metrics`)).text());
  const exported = async (name: string, labels: Record<string, string> = {}) =>
    sampleValue(await scrape(), name, labels);
  const lastPoll = async () =>
    (await exported('troupe_lag_exporter_last_success_timestamp_seconds')) ?? 0;

  beforeAll(async () => {
    producerDb = await createTestDataSource();
    consumerDb = await createTestDataSource();
    producer = await startService({
      service: uniqueName('it-lag-producer'),
      dataSource: producerDb,
      troupe: {
        publishes: [Parcel],
        topics: { partitions: 3 },
        relay: { pollIntervalMs: 100, maxBackoffMs: 1000 },
      },
    });
    consumer = await startService({
      service: uniqueName('it-lag-consumer'),
      dataSource: consumerDb,
      handlers: [ParcelHandlers],
      troupe: {
        topics: { partitions: 3 },
        consumer: { parkingPollIntervalMs: 200, restartMaxBackoffMs: 1000 },
      },
    });

    const config = loadConfig(CompensationConfig, {
      KAFKA_BROKERS: testInfra.kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: testInfra.schemaRegistryUrl(),
      DATABASE_URL: serviceDatabaseUrl(loadSettings(), 'compensation'),
      LAG_POLL_INTERVAL_MS: String(POLL_MS),
      LAG_STATUS_WINDOW_MS: '5000',
      LAG_BROADCAST_GROUPS: feed,
      LAG_BROADCAST_GROUP_EXPIRY_MS: '3000',
      LOG_LEVEL: 'error',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [CompensationModule.forRoot(config)],
    }).compile();
    compensation = moduleRef.createNestApplication({ logger: false });
    await compensation.listen(0, '127.0.0.1');
    compensationUrl = `http://127.0.0.1:${(compensation.getHttpServer().address() as AddressInfo).port}`;

    const producerMetrics = await serveMetrics(producer.runtime.metrics.registry);
    const consumerMetrics = await serveMetrics(consumer.runtime.metrics.registry);
    closers.push(producerMetrics.close, consumerMetrics.close);
    const rules = rulesWithShortFor(path.join(os.tmpdir(), uniqueName('troupe-rules')), '3s');
    prometheus = new PrometheusServer(binaries as PrometheusBinaries, {
      targets: [
        producerMetrics.target,
        consumerMetrics.target,
        compensationUrl.replace('http://', ''),
      ],
      ruleFiles: rules,
    });
    await prometheus.start();

    // Some ordinary traffic, one poison parcel (a dead letter) and one flaky one (a parked retry).
    await send([
      ...Array.from({ length: 30 }, (_, i) => ({ parcelId: `p-${i}`, mode: 'ok' })),
      { parcelId: 'poison-1', mode: 'poison' },
      { parcelId: 'flaky-1', mode: 'flaky' },
    ]);
    await waitFor(
      'the dead letter and the retried flaky parcel',
      async () => {
        const dlq = await exported('troupe_dead_letter_depth', { group });
        return (
          dlq === 1 &&
          ParcelHandlers.failedOnce.size === 1 &&
          (await consumerDb.query('SELECT count(*)::int AS n FROM parked_events'))[0].n === 0
        );
      },
      60_000,
      250,
    );
    // Caught up on every partition: each has a commit (a partition whose first chunk is still
    // being retried has none yet, and the lag sum leaves it out), and no lag.
    await waitFor(
      'the group to be caught up in the exporter, with a commit on every partition',
      async () => {
        for (const partition of ['0', '1', '2']) {
          const labels = { consumergroup: group, topic, partition };
          const committed = (await exported('kafka_consumergroup_current_offset', labels)) ?? -1;
          if (committed < 0) return false;
          if ((await exported('kafka_consumergroup_lag', labels)) !== 0) return false;
        }
        return (await exported('kafka_consumergroup_group_sum_lag', { group })) === 0;
      },
      60_000,
      250,
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    for (const close of closers) await close();
    await compensation?.close();
    if (!consumerStopped) await consumer?.stop();
    await producer?.stop();
    await producerDb?.drop();
    await consumerDb?.drop();
    await deleteFromBroker({
      topics: [topic, `${group}.dlq`],
      groups: [group, `${feed}.replica-1`],
    });
  });

  it('makes the lag alert go pending, then firing, on a growing backlog', async () => {
    const inactive = async () =>
      !(await prometheus.alerts()).some(
        (a) => a.labels.alertname === 'TroupeConsumerLagGrowing' && a.labels.group === group,
      );
    expect(await inactive()).toBe(true); // caught up: nothing to alert on
    await consumer.stop(); // the group commits, leaves, and keeps its offsets
    consumerStopped = true;
    const seen: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await send(Array.from({ length: 20 }, (_, j) => ({ parcelId: `g-${i}-${j}`, mode: 'ok' })));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    try {
      await waitFor(
        'TroupeConsumerLagGrowing to fire for the group',
        async () => {
          const alert = (await prometheus.alerts()).find(
            (a) => a.labels.alertname === 'TroupeConsumerLagGrowing' && a.labels.group === group,
          );
          if (alert && seen[seen.length - 1] !== alert.state) seen.push(alert.state);
          return alert?.state === 'firing';
        },
        90_000,
        200,
      );
    } finally {
      writing = false;
      await writer;
    }
    expect(seen).toEqual(['pending', 'firing']);
    const noMembers = (await prometheus.alerts()).find(
      (a) =>
        a.labels.alertname === 'TroupeConsumerGroupNoMembers' && a.labels.consumergroup === group,
    );
    expect(noMembers?.state).toBeDefined();
  });

  it("reports the lag Kafka's own consumer-group tool reports, partition by partition", async () => {
    await send(Array.from({ length: 300 }, (_, i) => ({ parcelId: `b-${i}`, mode: 'ok' })));
    await waitFor(
      'the backlog to be on Kafka',
      async () => (await unpublished()) === 0,
      30_000,
      100,
    );
    const settled = Date.now() / 1000;
    await waitFor(
      'a poll after the backlog was complete',
      async () => (await lastPoll()) > settled + 0.1,
      10 * POLL_MS,
      100,
    );

    const tool = await describeGroupWithKafkaTool(bootstrap, group);
    const samples = await scrape();
    expect(tool.map((r) => r.partition).sort()).toEqual([0, 1, 2]);
    expect(tool.reduce((sum, r) => sum + (r.lag ?? 0), 0)).toBeGreaterThanOrEqual(300);
    for (const row of tool) {
      const labels = { consumergroup: group, topic, partition: String(row.partition) };
      expect({
        partition: row.partition,
        lag: sampleValue(samples, 'kafka_consumergroup_lag', labels),
        committed: sampleValue(samples, 'kafka_consumergroup_current_offset', labels),
      }).toEqual({
        partition: row.partition,
        lag: row.lag,
        committed: row.currentOffset,
      });
      expect(
        sampleValue(samples, 'kafka_topic_partition_current_offset', {
          topic,
          partition: String(row.partition),
        }),
      ).toBe(row.logEndOffset);
      expect(
        sampleValue(samples, 'kafka_consumergroup_group_lag', {
          group,
          topic,
          partition: String(row.partition),
        }),
      ).toBe(row.lag);
    }
    expect(sampleValue(samples, 'kafka_consumergroup_members', { consumergroup: group })).toBe(0);
    // The backlog started to build a few seconds ago: its oldest message is seconds old, not minutes.
    const seconds = sampleValue(samples, 'kafka_consumergroup_group_max_lag_seconds', { group })!;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(120);
  });

  it('costs the broker at most one offset fetch per group per poll, however often it is scraped', async () => {
    const before = await scrape();
    for (let i = 0; i < 20; i++) await scrape();
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    const after = await scrape();
    const polls = (s: typeof before) =>
      (sampleValue(s, 'troupe_lag_exporter_polls_total', { outcome: 'ok' }) ?? 0) +
      (sampleValue(s, 'troupe_lag_exporter_polls_total', { outcome: 'failed' }) ?? 0);
    const fetches = (s: typeof before) =>
      sampleValue(s, 'troupe_lag_exporter_requests_total', { api: 'OffsetFetch' }) ?? 0;
    const groups = after.filter((s) => s.name === 'kafka_consumergroup_members').length;
    expect(polls(after) - polls(before)).toBeGreaterThanOrEqual(2);
    expect(fetches(after) - fetches(before)).toBeLessThanOrEqual(
      (polls(after) - polls(before) + 1) * groups,
    );
  });

  it("answers every panel query of Troupe's dashboards", async () => {
    await waitFor(
      'Prometheus to scrape every target',
      async () => (await prometheus.targets()).every((t) => t.health === 'up'),
      30_000,
      500,
    );
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(30);
    const empty: string[] = [];
    for (const q of queries) {
      const expr = resolveQuery(
        q.expr,
        { group, service: '.*' },
        { rateInterval: '5m', interval: '15s', range: '10m' },
      );
      const result = await prometheus.query(expr);
      if (result.length === 0) empty.push(`${q.dashboard} / ${q.panel} [${q.refId}]: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('lights up the queries of the kafka_exporter and Kafka Lag Exporter dashboards people already have', async () => {
    // What Grafana dashboard 7589 and Strimzi's kafka-exporter dashboard ask (their metric names
    // and labels), and what Kafka Lag Exporter's dashboard asks.
    const thirdParty = [
      `count(kafka_topic_partitions{topic=~"${topic}"})`,
      `sum(kafka_topic_partition_replicas{topic=~"${topic}"})`,
      `sum(kafka_topic_partition_in_sync_replica{topic=~"${topic}"})`,
      `sum(kafka_topic_partition_under_replicated_partition{topic=~"${topic}"})`,
      `sum(kafka_topic_partition_leader_is_preferred{topic=~"${topic}"} < bool 1)`,
      `sum(rate(kafka_topic_partition_current_offset{topic=~"${topic}"}[1m])) by (topic)`,
      `sum(delta(kafka_consumergroup_current_offset{consumergroup=~"${group}",topic=~"${topic}"}[1m])/60) by (consumergroup, topic)`,
      `sum(kafka_consumergroup_lag{consumergroup=~"${group}",topic=~"${topic}"}) by (consumergroup, topic)`,
      `sum(kafka_consumergroup_current_offset{consumergroup=~"${group}",topic=~"${topic}"}) by (consumergroup,partition,topic)`,
      `sum(kafka_topic_partition_oldest_offset{topic=~"${topic}"}) by (partition,topic)`,
      `kafka_consumergroup_lag_sum{consumergroup="${group}"}`,
      `kafka_consumergroup_members{consumergroup="${group}"}`,
      'kafka_brokers',
      'kafka_exporter_build_info',
      `max(kafka_consumergroup_group_max_lag_seconds{group="${group}"}) by (cluster_name, group)`,
      `max(kafka_consumergroup_group_max_lag{group="${group}"}) by (cluster_name, group)`,
      `sum(kafka_consumergroup_group_lag{group="${group}"}) by (cluster_name, group, topic, partition, member_host, consumer_id, client_id)`,
      `kafka_consumergroup_group_lag_seconds{group="${group}"}`,
      `kafka_consumergroup_group_topic_sum_lag{group="${group}"}`,
      `kafka_partition_latest_offset{topic="${topic}"}`,
      `kafka_partition_earliest_offset{topic="${topic}"}`,
      'kafka_consumergroup_poll_time_ms',
    ];
    const empty: string[] = [];
    for (const expr of thirdParty)
      if ((await prometheus.query(expr)).length === 0) empty.push(expr);
    expect(empty).toEqual([]);
  });

  it('deletes the broadcast group of a replica that is gone, and leaves the once group alone', async () => {
    const replicaGroup = `${feed}.replica-1`;
    const transport = new KafkajsTransport({
      brokers: testInfra.kafkaBrokers(),
      log: () => undefined,
    });
    let seen = 0;
    const subscription = await transport.subscribe(
      { group: replicaGroup, topics: [topic], fromBeginning: false, partitionConcurrency: 3 },
      async (batch) => {
        for (const message of batch.messages) {
          batch.markDone(message);
          seen++;
        }
        await batch.commit();
      },
    );
    try {
      await waitFor('the replica to join', () => subscription.isMember(), 60_000, 100);
      await send(Array.from({ length: 10 }, (_, i) => ({ parcelId: `f-${i}`, mode: 'ok' })));
      await waitFor('the replica to consume', () => seen >= 10, 60_000, 100);
      await waitFor(
        'the exporter to see it as a broadcast replica group',
        async () =>
          (await exported('troupe_consumergroup_info', {
            group: replicaGroup,
            delivery: 'broadcast',
            declared_group: feed,
          })) === 1,
        30_000,
        250,
      );
    } finally {
      await subscription.stop(); // the replica is gone; its group stays behind on the broker
      await transport.close();
    }
    const deletedBefore = (await exported('troupe_lag_exporter_deleted_groups_total')) ?? 0;
    await waitFor(
      'the exporter to delete the gone replica group',
      async () =>
        ((await exported('troupe_lag_exporter_deleted_groups_total')) ?? 0) > deletedBefore,
      60_000,
      250,
    );
    const admin = new KafkajsTransport({ brokers: testInfra.kafkaBrokers(), log: () => undefined });
    try {
      expect((await admin.admin().listGroups()).map((g) => g.group)).not.toContain(replicaGroup);
    } finally {
      await admin.close();
    }
    const samples = await scrape();
    expect(
      sampleValue(samples, 'kafka_consumergroup_members', { consumergroup: replicaGroup }),
    ).toBeUndefined();
    expect(sampleValue(samples, 'kafka_consumergroup_members', { consumergroup: group })).toBe(0); // idle for longer, but once
  });

  it('survives the broker going away and coming back', async () => {
    const failedBefore =
      (await exported('troupe_lag_exporter_polls_total', { outcome: 'failed' })) ?? 0;
    await infra.kafka.down();
    try {
      await waitFor(
        'polls to fail while the broker is away',
        async () =>
          ((await exported('troupe_lag_exporter_polls_total', { outcome: 'failed' })) ?? 0) >=
          failedBefore + 2,
        60_000,
        250,
      );
      // Still serving, with the last figures.
      expect((await fetch(`${compensationUrl}/health/live`)).ok).toBe(true);
      expect(
        await exported('kafka_consumergroup_lag_sum', { consumergroup: group, topic }),
      ).toBeGreaterThan(0);
    } finally {
      await infra.kafka.up();
    }
    const back = Date.now() / 1000;
    await waitFor(
      'a successful poll after the broker came back',
      async () => (await lastPoll()) > back,
      60_000,
      250,
    );
    await waitFor(
      'the relay to publish what it held',
      async () => (await unpublished()) === 0,
      60_000,
      250,
    );
    const settled = Date.now() / 1000;
    await waitFor('a poll after that', async () => (await lastPoll()) > settled + 0.1, 30_000, 100);
    const tool = await describeGroupWithKafkaTool(bootstrap, group);
    const samples = await scrape();
    for (const row of tool)
      expect({
        partition: row.partition,
        lag: sampleValue(samples, 'kafka_consumergroup_lag', {
          consumergroup: group,
          topic,
          partition: String(row.partition),
        }),
      }).toEqual({ partition: row.partition, lag: row.lag });
  });
});
