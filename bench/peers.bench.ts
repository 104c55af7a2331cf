/**
 * Troupe's consumer side by side with what a Nest team would otherwise write (issue 9). One
 * pre-produced topic (Troupe's own messages, written through its outbox and relay before any
 * clock starts), then each implementation consumes all of it with a fresh consumer group, in
 * this process, one after the other, applying the same effect per event: one row
 * (event_id, n) in PostgreSQL, at-least-once.
 *
 * - raw kafkajs: eachBatch, decodes every message, no database (the ceiling);
 * - kafkajs eachMessage + one autocommit INSERT per event (pg Pool of 5);
 * - kafkajs eachBatch, one transaction per 100 events (an INSERT per event inside);
 * - NestJS ServerKafka, an @EventPattern handler doing the autocommit INSERT, at its defaults
 *   (one partition at a time) and with partitionsConsumedConcurrently 4;
 * - Troupe, a per-event handler (ctx.tx INSERT, inbox, per-key order, retries), with the default
 *   effects (a savepoint per event) and with effects 'transaction' (one savepoint per run), and
 *   a batch handler (@OnEventBatch: one INSERT … SELECT unnest per chunk).
 *
 * Each is timed from its first message to its last effect committed; every effect table must end
 * with exactly one row per event. The ratios printed are against the baselines of the same run.
 * CPU per event (this process, PostgreSQL) is printed too: on a shared machine it moves less
 * than events/s.
 * Run: npm run bench:peers   (BENCH_EVENTS [100000], BENCH_PARTITIONS [4], BENCH_CHUNK_SIZE [100],
 * BENCH_ROUNDS [1], BENCH_ONLY=name,name to run some of them)
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, MicroserviceOptions, Transport } from '@nestjs/microservices';
import { BatchItem, KafkajsTransport, TroupeRuntime } from '@troupe/messaging';
import { METRIC } from '@troupe/observability';
import { AvroCodec, HEADER, topicNames } from '@troupe/schemas';
import { testInfra, uniqueName, waitFor } from '@troupe/testing';
import { logLevel } from 'kafkajs';
import { execSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { Counter } from 'prom-client';
import { BenchItemData } from './support/bench-event';
import { deleteTopics, infra, kafkaClient, quietLog } from './support/bench-infra';
import { setting, troupeTuning } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { perSecond } from './support/stats';
import { TimedTransport } from './support/timed.transport';
import { startTroupePipeline, writeEvents } from './support/troupe-pipeline';

const events = setting('EVENTS', 100_000);
const rounds = setting('ROUNDS', 1);
const chunk = setting('CHUNK_SIZE', 100);
const tuning = troupeTuning();
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;

type Pipeline = Awaited<ReturnType<typeof startTroupePipeline>>;

interface Setup {
  pipeline: Pipeline;
  codec: AvroCodec;
  pool: Pool;
  schema: string;
}

interface Outcome {
  ms: number;
  cpu: string;
}

/** One implementation: consumes the whole topic into `table`, resolves when every effect is committed. */
type Run = (setup: Setup, table: string) => Promise<Outcome>;

/** Timing shared by the hand-written peers: from the first message to the `events`-th effect. */
class Progress {
  firstAt = NaN;
  done = 0;
  lastAt = NaN;
  cpu?: () => string;
  started(): void {
    if (Number.isNaN(this.firstAt)) {
      this.firstAt = performance.now();
      this.cpu = startCpuSample();
    }
  }
  applied(n: number): void {
    this.done += n;
    if (this.done >= events && Number.isNaN(this.lastAt)) this.lastAt = performance.now();
  }
  async finished(): Promise<Outcome> {
    await waitFor('every effect', () => !Number.isNaN(this.lastAt), 900_000, 5);
    return { ms: this.lastAt - this.firstAt, cpu: this.cpu!() };
  }
}

const INSERT = (table: string) => `INSERT INTO ${table} (event_id, n) VALUES ($1, $2) ON CONFLICT DO NOTHING`;

async function decoded(codec: AvroCodec, value: Buffer | null): Promise<number> {
  return ((await codec.decode(value)).event as unknown as BenchItemData).n;
}

/** A plain kafkajs consumer group on the topic, from the beginning. */
async function kafkajsGroup(
  setup: Setup,
  name: string,
  run: (consumer: ReturnType<ReturnType<typeof kafkaClient>['consumer']>) => Promise<void>,
  progress: Progress,
): Promise<Outcome> {
  const groupId = uniqueName(`bench-peer-${name}`);
  const consumer = kafkaClient(`bench-${name}`).consumer({ groupId, allowAutoTopicCreation: false });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [setup.pipeline.topic], fromBeginning: true });
    await run(consumer);
    return await progress.finished();
  } finally {
    await consumer.disconnect();
    await deleteTopics([], [groupId]);
  }
}

const rawKafkajs: Run = (setup) => {
  const progress = new Progress();
  return kafkajsGroup(
    setup,
    'raw',
    (consumer) =>
      consumer.run({
        partitionsConsumedConcurrently: tuning.partitions,
        eachBatch: async ({ batch }) => {
          progress.started();
          for (const message of batch.messages) await decoded(setup.codec, message.value);
          progress.applied(batch.messages.length);
        },
      }),
    progress,
  );
};

const kafkajsPerEvent: Run = (setup, table) => {
  const progress = new Progress();
  const sql = INSERT(table);
  return kafkajsGroup(
    setup,
    'each',
    (consumer) =>
      consumer.run({
        partitionsConsumedConcurrently: tuning.partitions,
        eachMessage: async ({ message }) => {
          progress.started();
          const n = await decoded(setup.codec, message.value);
          await setup.pool.query(sql, [String(message.headers![HEADER.eventId]), n]);
          progress.applied(1);
        },
      }),
    progress,
  );
};

const kafkajsChunked: Run = (setup, table) => {
  const progress = new Progress();
  const sql = INSERT(table);
  return kafkajsGroup(
    setup,
    'chunked',
    (consumer) =>
      consumer.run({
        partitionsConsumedConcurrently: tuning.partitions,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
          progress.started();
          for (let start = 0; start < batch.messages.length; start += chunk) {
            if (!isRunning() || isStale()) return;
            const part = batch.messages.slice(start, start + chunk);
            const client = await setup.pool.connect();
            try {
              await client.query('BEGIN');
              for (const message of part) {
                const n = await decoded(setup.codec, message.value);
                await client.query(sql, [String(message.headers![HEADER.eventId]), n]);
              }
              await client.query('COMMIT');
            } catch (error) {
              await client.query('ROLLBACK').catch(() => undefined);
              throw error;
            } finally {
              client.release();
            }
            progress.applied(part.length);
            resolveOffset(part[part.length - 1].offset);
            await commitOffsetsIfNecessary();
            await heartbeat();
          }
        },
      }),
    progress,
  );
};

/** NestJS's own Kafka transport: a microservice with one @EventPattern handler. */
const nestServerKafka =
  (concurrency?: number): Run =>
  async (setup, table) => {
    const progress = new Progress();
    const sql = INSERT(table);
    @Controller()
    class EffectController {
      @EventPattern(setup.pipeline.topic)
      async record(@Ctx() context: KafkaContext): Promise<void> {
        progress.started();
        const message = context.getMessage();
        const n = await decoded(setup.codec, message.value as unknown as Buffer);
        await setup.pool.query(sql, [String(message.headers![HEADER.eventId]), n]);
        progress.applied(1);
      }
    }
    @Module({ controllers: [EffectController] })
    class EffectModule {}
    const groupId = uniqueName('bench-peer-nest');
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(EffectModule, {
      logger: ['error'],
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'bench-nest', brokers: infra.brokers, logLevel: logLevel.NOTHING },
        consumer: { groupId, allowAutoTopicCreation: false },
        subscribe: { fromBeginning: true },
        parser: { keepBinary: true },
        ...(concurrency ? { run: { partitionsConsumedConcurrently: concurrency } } : {}),
      },
    });
    try {
      await app.listen();
      return await progress.finished();
    } finally {
      await app.close();
      await deleteTopics([], [`${groupId}-server`]);
    }
  };

/** A Troupe consumer service on the topic: a fresh group, the pipeline's consuming database. */
const troupe =
  (mode: 'per-event' | 'per-event-tx' | 'batch'): Run =>
  async (setup, table) => {
    const { pipeline } = setup;
    const group = uniqueName(`bench-troupe-${mode}`);
    const transport = new TimedTransport(new KafkajsTransport({ brokers: infra.brokers, clientId: 'bench-troupe', log: quietLog }));
    const runtime = new TroupeRuntime(
      {
        service: 'bench-troupe',
        kafka: { brokers: infra.brokers },
        schemaRegistry: { url: infra.registryUrl },
        topics: { partitions: tuning.partitions },
        relay: false,
        log: quietLog,
        consumer: { chunkSize: chunk, partitionConcurrency: tuning.partitionConcurrency },
        transport,
      },
      pipeline.consumerDb,
    );
    const sql = INSERT(table);
    const common = { event: pipeline.Item, group, delivery: 'once' as const, retry: {}, name: `BenchTroupe.${mode}` };
    if (mode !== 'batch')
      runtime.addHandler({
        ...common,
        effects: mode === 'per-event-tx' ? 'transaction' : 'external',
        handle: async (event, ctx) => {
          await ctx.tx.query(sql, [ctx.eventId, (event as unknown as BenchItemData).n]);
        },
      });
    else
      runtime.addHandler({
        ...common,
        handleBatch: async (items: readonly BatchItem[], batch) => {
          await batch.tx.query(`INSERT INTO ${table} (event_id, n) SELECT unnest($1::uuid[]), unnest($2::int[]) ON CONFLICT DO NOTHING`, [
            items.map((i) => i.ctx.eventId),
            items.map((i) => (i.event as unknown as BenchItemData).n),
          ]);
        },
      });
    const consumed = runtime.metrics.registry.getSingleMetric(METRIC.eventsConsumed) as Counter;
    const handled = async () =>
      (await consumed.get()).values.filter((v) => v.labels.outcome === 'handled').reduce((sum, v) => sum + v.value, 0);
    let cpu: (() => string) | undefined;
    try {
      await runtime.start();
      await waitFor('the first batch', () => {
        if (transport.batches.calls > 0) cpu ??= startCpuSample();
        return transport.batches.calls > 0;
      }, 120_000, 2);
      let doneAt = NaN;
      await waitFor('every effect', async () => {
        if ((await handled()) < events) return false;
        doneAt = performance.now();
        return true;
      }, 900_000, 5);
      return { ms: doneAt - transport.batches.firstStartedAt, cpu: cpu!() };
    } finally {
      await runtime.stop();
      await deleteTopics([topicNames.replay(group), topicNames.deadLetter(group)], [group]);
    }
  };

const IMPLEMENTATIONS: Array<[string, Run]> = [
  ['raw-kafkajs', rawKafkajs],
  ['kafkajs-each', kafkajsPerEvent],
  ['kafkajs-chunked', kafkajsChunked],
  ['nest-default', nestServerKafka()],
  ['nest-c4', nestServerKafka(4)],
  ['troupe-per-event', troupe('per-event')],
  ['troupe-per-event-tx', troupe('per-event-tx')],
  ['troupe-batch', troupe('batch')],
];

const LABEL: Record<string, string> = {
  'raw-kafkajs': 'raw kafkajs, no database',
  'kafkajs-each': 'kafkajs eachMessage + autocommit INSERT',
  'kafkajs-chunked': `kafkajs eachBatch, 1 tx per ${chunk}`,
  'nest-default': 'NestJS ServerKafka, defaults',
  'nest-c4': 'NestJS ServerKafka, concurrency 4',
  'troupe-per-event': 'Troupe per-event handler',
  'troupe-per-event-tx': "Troupe per-event, effects 'transaction'",
  'troupe-batch': 'Troupe batch handler',
};

/**
 * CPU time per event of this process and of PostgreSQL during the run: less sensitive to other
 * work on a shared machine than events/s (which it slows without adding to these).
 */
function cpuPerEvent(outcome: Outcome): string {
  const cores = (group: string) => Number(new RegExp(`${group} ([0-9.]+)`).exec(outcome.cpu)?.[1] ?? NaN);
  const perEvent = (group: string) => ((cores(group) * outcome.ms * 1000) / events).toFixed(0);
  return `cpu per event: bench ${perEvent('bench')} µs, postgres ${perEvent('postgres')} µs`;
}

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(`uptime: ${execSync('uptime').toString().trim()}`);
  console.log(`settings: ${events} events, ${tuning.partitions} partitions, chunk ${chunk}, ${rounds} round(s)`);
  const pipeline = await startTroupePipeline(tuning, { start: false });
  const pool = new Pool({ connectionString: testInfra.databaseUrl(), max: 5 });
  const schema = (pipeline.consumerDb.options as { schema: string }).schema;
  const setup: Setup = { pipeline, codec: new AvroCodec({ registryUrl: infra.registryUrl, events: [pipeline.Item] }), pool, schema };
  const results = new Map<string, number[]>();
  try {
    const startedAt = performance.now();
    await writeEvents(pipeline, 0, events, 500);
    await pipeline.producer.start();
    await waitFor('the relay to publish every event', () => pipeline.producerTransport.sends.messages >= events, 900_000, 20);
    await pipeline.producer.stop();
    console.log(`pre-produced ${events} events on ${pipeline.topic} in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (untimed)\n`);

    for (let round = 1; round <= rounds; round++) {
      for (const [name, run] of IMPLEMENTATIONS) {
        if (only && !only.has(name)) continue;
        const table = `"${schema}".fx_${name.replace(/-/g, '_')}_${round}`;
        await pool.query(`CREATE TABLE ${table} (event_id uuid PRIMARY KEY, n int NOT NULL)`);
        const outcome = await run(setup, table);
        const [{ rows }] = (await pool.query(`SELECT count(*)::int AS rows FROM ${table}`)).rows;
        const rate = perSecond(events, outcome.ms);
        results.set(name, [...(results.get(name) ?? []), rate]);
        const check = name === 'raw-kafkajs' ? 'no effects' : rows === events ? `${rows} rows, one per event` : `WRONG: ${rows} rows`;
        console.log(`round ${round} ${LABEL[name].padEnd(42)} ${String(rate).padStart(7)} events/s  (${(outcome.ms / 1000).toFixed(2)} s; ${check})`);
        console.log(`        ${outcome.cpu}`);
        console.log(`        ${cpuPerEvent(outcome)}`);
      }
    }
  } finally {
    await pool.end();
    await pipeline.close();
  }

  const best = (name: string) => Math.max(...(results.get(name) ?? [NaN]));
  const ratio = (a: string, b: string, target?: number) => {
    if (!results.has(a) || !results.has(b)) return;
    const r = best(a) / best(b);
    const verdict = target === undefined ? '' : r >= target ? `  (target ≥ ${target}: met)` : `  (target ≥ ${target}: missed)`;
    console.log(`  ${LABEL[a]} / ${LABEL[b]}: ${r.toFixed(2)}${verdict}`);
  };
  console.log(`\nsummary (best of ${rounds} round(s), events/s):`);
  for (const [name] of IMPLEMENTATIONS) if (results.has(name)) console.log(`  ${LABEL[name].padEnd(42)} ${results.get(name)!.join(', ')}`);
  console.log('ratios:');
  ratio('troupe-batch', 'raw-kafkajs', 0.5);
  ratio('troupe-per-event', 'kafkajs-chunked', 1.0);
  ratio('troupe-per-event', 'nest-c4', 3.0);
  ratio('troupe-per-event-tx', 'kafkajs-chunked', 1.0);
  ratio('troupe-per-event-tx', 'nest-c4', 3.0);
  ratio('troupe-per-event', 'kafkajs-each');
  ratio('troupe-batch', 'kafkajs-chunked');
  ratio('troupe-batch', 'troupe-per-event');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
