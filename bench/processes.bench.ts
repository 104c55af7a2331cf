/**
 * The producing and the consuming service in separate processes, as they are deployed (issue 9):
 * this process is the consumer (one 'once' handler, one INSERT effect through ctx.tx, with the
 * effects BENCH_EFFECTS declares), bench/support/producer-process.ts the producer (writer and
 * relay). Two phases:
 *
 * 1. latency: the producer writes BENCH_RATE events/s, one per transaction, for BENCH_SECONDS
 *    after a warm-up; commit → handler start per event (both wall-clock, one machine), with the
 *    producer's writer-transaction times alongside;
 * 2. end to end: the producer writes BENCH_EVENTS events in transactions of 500 as fast as it
 *    can; first write to last handler commit.
 *
 * Run: npm run bench:processes   (BENCH_RATE [1000], BENCH_SECONDS [20], BENCH_WARMUP_SECONDS [5],
 * BENCH_EVENTS [100000], BENCH_EFFECTS [transaction], and the tuning of bench-settings.ts)
 */
import { KafkajsTransport, TroupeRuntime } from '@troupe/messaging';
import { METRIC } from '@troupe/observability';
import { topicNames } from '@troupe/schemas';
import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { Counter } from 'prom-client';
import { BenchItemData, defineBenchEvent } from './support/bench-event';
import { deleteTopics, infra, quietLog } from './support/bench-infra';
import { setting, troupeTuning } from './support/bench-settings';
import { countAsPeer, startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { ProducerReply, ProducerRequest, epochNow } from './support/producer-process';
import { distribution, formatDistribution, perSecond } from './support/stats';

const rate = setting('RATE', 1_000);
const seconds = setting('SECONDS', 20);
const warmupSeconds = setting('WARMUP_SECONDS', 5);
const events = setting('EVENTS', 100_000);
const tuning = troupeTuning();

/** The producer process, and a way to ask it for one thing at a time. */
function startProducer(run: string): {
  child: ChildProcess;
  next: () => Promise<ProducerReply>;
  ask: (request: ProducerRequest) => Promise<ProducerReply>;
} {
  const child = fork(path.join(__dirname, 'support', 'producer-process.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, BENCH_RUN: run, BENCH_PARTITIONS: String(tuning.partitions), BENCH_RELAY_BATCH_SIZE: String(tuning.relayBatchSize) },
  });
  countAsPeer(child.pid!);
  let waiting: ((reply: ProducerReply) => void) | undefined;
  const early: ProducerReply[] = [];
  child.on('message', (reply: ProducerReply) => {
    if (reply.kind === 'failed') {
      console.error(`producer process failed:\n${reply.error}`);
      process.exit(1);
    }
    if (waiting) waiting(reply);
    else early.push(reply);
  });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`producer process exited with ${code}`);
  });
  const next = async () => {
    const reply = await new Promise<ProducerReply>((resolve) => (early.length > 0 ? resolve(early.shift()!) : (waiting = resolve)));
    waiting = undefined;
    return reply;
  };
  return {
    child,
    next,
    ask: (request) => {
      const answer = next();
      child.send(request);
      return answer;
    },
  };
}

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(
    `settings: latency ${rate} events/s for ${seconds} s after ${warmupSeconds} s warm-up (one event per transaction); end to end ${events} events (transactions of 500); ${JSON.stringify(tuning)}`,
  );
  const run = uniqueName('bench_proc').replace(/-/g, '_');
  const topic = `${run}.item.events`;
  const group = `${run}-consumer`;
  const Item = defineBenchEvent(topic);

  const producer = startProducer(run);
  const ready = await producer.next();
  if (ready.kind !== 'ready') throw new Error(`producer: ${JSON.stringify(ready)}`);

  const consumerDb = await createTestDataSource({ schema: `${run}_consumer` });
  await consumerDb.query('CREATE TABLE bench_effects (event_id uuid PRIMARY KEY, n int NOT NULL)');
  const handlerStartedAt = new Map<string, number>();
  const consumer = new TroupeRuntime(
    {
      service: 'bench-consumer',
      kafka: { brokers: infra.brokers },
      schemaRegistry: { url: infra.registryUrl },
      topics: { partitions: tuning.partitions },
      relay: false,
      consumer: { chunkSize: tuning.chunkSize, partitionConcurrency: tuning.partitionConcurrency },
      transport: new KafkajsTransport({ brokers: infra.brokers, clientId: 'bench-consumer', log: quietLog }),
      log: quietLog,
    },
    consumerDb,
  );
  consumer.addHandler({
    event: Item,
    group,
    delivery: 'once',
    retry: {},
    effects: tuning.effects,
    name: 'BenchConsumer.recordItem',
    handle: async (event, ctx) => {
      if (!handlerStartedAt.has(ctx.eventId)) handlerStartedAt.set(ctx.eventId, epochNow());
      await ctx.tx.query('INSERT INTO bench_effects (event_id, n) VALUES ($1, $2)', [ctx.eventId, (event as unknown as BenchItemData).n]);
    },
  });
  const consumed = consumer.metrics.registry.getSingleMetric(METRIC.eventsConsumed) as Counter;
  const handled = async () => (await consumed.get()).values.filter((v) => v.labels.outcome === 'handled').reduce((sum, v) => sum + v.value, 0);

  try {
    await consumer.start();
    await waitFor('the bench consumer to join its group', () => consumer.isReady(), 60_000);

    // 1. latency
    let cpu = startCpuSample();
    const latencyRun = await producer.ask({ kind: 'latency', rate, warmupSeconds, seconds });
    if (latencyRun.kind !== 'latency') throw new Error(`producer: ${JSON.stringify(latencyRun)}`);
    await waitFor('every measured event to be handled', () => latencyRun.committed.every(([id]) => handlerStartedAt.has(id)), 120_000, 20);
    let cpuUse = cpu();
    const latency = latencyRun.committed.map(([id, at]) => handlerStartedAt.get(id)! - at);
    console.log(
      `latency   achieved ${latencyRun.achieved} events in ${(latencyRun.elapsedMs / 1000).toFixed(1)} s = ${perSecond(latencyRun.achieved, latencyRun.elapsedMs)} events/s; at most ${latencyRun.maxInFlight} writer transactions in flight`,
    );
    console.log(`latency   writer transaction (producer process)   ${formatDistribution(latencyRun.txMs)}`);
    console.log(`latency   commit → handler start (across processes) ${formatDistribution(latency)}`);
    console.log(`    ${cpuUse.replace('bench', 'consumer')}`);
    const p99 = distribution(latency).p99;
    const txP99 = distribution(latencyRun.txMs).p99;
    console.log(`latency   p99 ${p99.toFixed(1)} ms (target ≤ 50 ms: ${p99 <= 50 ? 'met' : 'missed'}); writer transaction p99 ${txP99.toFixed(1)} ms (target ≤ 20 ms: ${txP99 <= 20 ? 'met' : 'missed'})`);

    // 2. end to end
    const before = await handled();
    cpu = startCpuSample();
    const burst = await producer.ask({ kind: 'burst', from: 10_000_000, events, txSize: 500 });
    if (burst.kind !== 'burst') throw new Error(`producer: ${JSON.stringify(burst)}`);
    let doneAt = NaN;
    await waitFor('every event to be handled', async () => (await handled()) - before >= events && !Number.isNaN((doneAt = epochNow())), 900_000, 5);
    cpuUse = cpu();
    const ms = doneAt - burst.startedAt;
    console.log(`end to end  write phase ${(burst.writeMs / 1000).toFixed(2)} s = ${perSecond(events, burst.writeMs)} events/s into the outbox (producer process)`);
    console.log(`end to end  ${(ms / 1000).toFixed(2)} s = ${perSecond(events, ms)} events/s, first write to last handler commit`);
    console.log(`    ${cpuUse.replace('bench', 'consumer')}`);
  } finally {
    await consumer.stop();
    await producer.ask({ kind: 'stop' }).catch(() => undefined);
    await consumerDb.drop();
    await deleteTopics([topic, topicNames.deadLetter(group), topicNames.replay(group)], [group]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
