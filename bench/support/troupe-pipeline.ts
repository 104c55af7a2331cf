import { EventContext, KafkajsTransport, TroupeRuntime } from '@troupe/messaging';
import { METRIC } from '@troupe/observability';
import { TroupeEvent, topicNames } from '@troupe/schemas';
import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import { Counter } from 'prom-client';
import { BenchEventClass, BenchItemData, benchItem, defineBenchEvent } from './bench-event';
import { deleteTopics, infra, quietLog } from './bench-infra';
import { TroupeTuning } from './bench-settings';
import { QueryTimer } from './query.timer';
import { TimedTransport } from './timed.transport';

type BenchDataSource = Awaited<ReturnType<typeof createTestDataSource>>;

export interface TroupePipeline {
  Item: BenchEventClass;
  topic: string;
  /** The producing service's database: its outbox is what the relay drains. */
  producerDb: BenchDataSource;
  /** The consuming service's database: its inbox and the handler's effect table. */
  consumerDb: BenchDataSource;
  producer: TroupeRuntime;
  consumer: TroupeRuntime;
  producerTransport: TimedTransport;
  consumerTransport: TimedTransport;
  /** Time per SQL statement kind in each service's DataSource, when asked for (`timeQueries`). */
  producerQueries?: QueryTimer;
  consumerQueries?: QueryTimer;
  /** Events the consumer has handled and committed (troupe_events_consumed_total{outcome="handled"}). */
  handled(): Promise<number>;
  /** troupe_events_consumed_total{outcome="duplicate"}: redeliveries the inbox absorbed. */
  duplicates(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Two services in one process, as in production but sharing the event loop: a producer whose
 * relay drains its outbox to Kafka, and a consumer with one `once` handler whose effect is one
 * INSERT through ctx.tx (committed with the inbox row). Each service has a fresh schema; the
 * topic is fresh too. `onHandle` runs first thing in the handler (the latency bench stamps there).
 * With `start: false` the caller starts the runtimes itself (the stages bench, one at a time).
 */
export async function startTroupePipeline(
  tuning: TroupeTuning,
  options: {
    stampEvents?: boolean;
    timeQueries?: boolean;
    start?: boolean;
    onHandle?: (ctx: EventContext) => void;
  } = {},
): Promise<TroupePipeline> {
  const run = uniqueName('bench').replace(/-/g, '_');
  const topic = `${run}.item.events`;
  const group = `${run}-consumer`;
  const Item = defineBenchEvent(topic);
  const producerDb = await createTestDataSource({ schema: `${run}_producer` });
  const consumerDb = await createTestDataSource({ schema: `${run}_consumer` });
  await consumerDb.query('CREATE TABLE bench_effects (event_id uuid PRIMARY KEY, n int NOT NULL)');

  const common = {
    kafka: { brokers: infra.brokers },
    schemaRegistry: { url: infra.registryUrl },
    topics: { partitions: tuning.partitions },
    log: quietLog,
  };
  const producerTransport = new TimedTransport(
    new KafkajsTransport({ brokers: infra.brokers, clientId: 'bench-producer', log: quietLog }),
    options.stampEvents,
  );
  const consumerTransport = new TimedTransport(
    new KafkajsTransport({ brokers: infra.brokers, clientId: 'bench-consumer', log: quietLog }),
    options.stampEvents,
  );
  const producer = new TroupeRuntime(
    {
      ...common,
      service: 'bench-producer',
      publishes: [Item],
      relay: { batchSize: tuning.relayBatchSize },
      transport: producerTransport,
    },
    producerDb,
  );
  const consumer = new TroupeRuntime(
    {
      ...common,
      service: 'bench-consumer',
      relay: false,
      consumer: { chunkSize: tuning.chunkSize, partitionConcurrency: tuning.partitionConcurrency },
      transport: consumerTransport,
    },
    consumerDb,
  );
  consumer.addHandler({
    event: Item,
    group,
    delivery: 'once',
    retry: {},
    name: 'BenchConsumer.recordItem',
    effects: tuning.effects,
    handle: async (event, ctx) => {
      options.onHandle?.(ctx);
      await ctx.tx.query('INSERT INTO bench_effects (event_id, n) VALUES ($1, $2)', [
        ctx.eventId,
        (event as unknown as BenchItemData).n,
      ]);
    },
  });
  if (options.start !== false) {
    await producer.start();
    await startConsumer(consumer);
  }

  const consumed = consumer.metrics.registry.getSingleMetric(METRIC.eventsConsumed) as Counter;
  const countOutcome = async (outcome: string) =>
    (await consumed.get()).values
      .filter((v) => v.labels.outcome === outcome)
      .reduce((sum, v) => sum + v.value, 0);
  return {
    Item,
    topic,
    producerDb,
    consumerDb,
    producer,
    consumer,
    producerTransport,
    consumerTransport,
    producerQueries: options.timeQueries ? QueryTimer.install(producerDb) : undefined,
    consumerQueries: options.timeQueries ? QueryTimer.install(consumerDb) : undefined,
    handled: () => countOutcome('handled'),
    duplicates: () => countOutcome('duplicate'),
    async close() {
      await consumer.stop();
      await producer.stop();
      await consumerDb.drop();
      await producerDb.drop();
      await deleteTopics([topic, topicNames.deadLetter(group)], [group]);
    },
  };
}

/** Starts a consumer runtime and waits until it is a member of its group. */
export async function startConsumer(consumer: TroupeRuntime): Promise<void> {
  await consumer.start();
  await waitFor('the bench consumer to join its group', () => consumer.isReady(), 60_000);
}

/** Events n = from … to-1 into the producer's outbox, `txSize` per transaction, one transaction after the other. */
export async function writeEvents(
  pipeline: TroupePipeline,
  from: number,
  to: number,
  txSize: number,
): Promise<void> {
  for (let start = from; start < to; start += txSize) {
    const entries: Array<{ event: TroupeEvent }> = [];
    for (let n = start; n < Math.min(to, start + txSize); n++)
      entries.push({ event: pipeline.Item.of(benchItem(n)) });
    await pipeline.producerDb.transaction((tx) => pipeline.producer.writer.addAll(tx, entries));
  }
}
