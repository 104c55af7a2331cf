/**
 * Throughput: N small events (a) through plain kafkajs, (b) through Troupe (outbox → relay →
 * Kafka → consumer with inbox and a one-INSERT effect), on the same broker in the same run.
 * Run: npm run bench:throughput (settings: see docs/benchmarks.md).
 */
import { METRIC } from '@troupe/observability';
import { waitFor } from '@troupe/testing';
import { performance } from 'node:perf_hooks';
import { flag, setting, troupeTuning } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { runKafkaBaseline } from './support/kafka-baseline';
import { describeMachine } from './support/machine';
import { histogramDelta, histogramTotals } from './support/metric-reader';
import { perSecond } from './support/stats';
import { startTroupePipeline, writeEvents } from './support/troupe-pipeline';

const events = setting('EVENTS', 100_000);
const txSize = setting('TX_SIZE', 500);
const warmup = setting('WARMUP', 2_000);
const tuning = troupeTuning();
const timeQueries = flag('QUERY_TIMES');

async function runTroupe(): Promise<number> {
  const pipeline = await startTroupePipeline(tuning, { timeQueries });
  try {
    // Warm-up (untimed): connections, JIT, the consumer's schema lookup by id.
    await writeEvents(pipeline, 0, warmup, txSize);
    await waitFor(
      'the Troupe warm-up to be handled',
      async () => (await pipeline.handled()) >= warmup,
      120_000,
      10,
    );
    pipeline.producerTransport.reset();
    pipeline.consumerTransport.reset();
    pipeline.producerQueries?.reset();
    pipeline.consumerQueries?.reset();
    const registry = pipeline.consumer.metrics.registry;
    const handlerBefore = await histogramTotals(registry, METRIC.handlerDuration);
    const relayLagBefore = await histogramTotals(
      pipeline.producer.metrics.registry,
      METRIC.relayLag,
    );

    const cpu = startCpuSample();
    const startedAt = performance.now();
    await writeEvents(pipeline, warmup, warmup + events, txSize);
    const writeMs = performance.now() - startedAt;
    let doneAt = 0;
    await waitFor(
      'every event to be handled',
      async () => (await pipeline.handled()) >= warmup + events && (doneAt = performance.now()),
      900_000,
      5,
    );
    const endToEndMs = doneAt - startedAt;
    const cpuUse = cpu();

    const handler = histogramDelta(
      handlerBefore,
      await histogramTotals(registry, METRIC.handlerDuration),
    );
    const relayLag = histogramDelta(
      relayLagBefore,
      await histogramTotals(pipeline.producer.metrics.registry, METRIC.relayLag),
    );
    const [{ n: effects }] = await pipeline.consumerDb.query(
      'SELECT count(*)::int AS n FROM bench_effects',
    );
    const { sends } = pipeline.producerTransport;
    const { batches, offsetCommits } = pipeline.consumerTransport;
    const at = (t: number) => `${((t - startedAt) / 1000).toFixed(2)} s`;

    console.log(
      `(b) troupe    write phase ${(writeMs / 1000).toFixed(2)} s = ${perSecond(events, writeMs)} events/s into the outbox (${Math.ceil(events / txSize)} tx of ${txSize})`,
    );
    console.log(
      `(b) troupe    end-to-end  ${(endToEndMs / 1000).toFixed(2)} s = ${perSecond(events, endToEndMs)} events/s, first write to last handler commit`,
    );
    console.log(
      `    relay     Kafka sends: ${sends.summary()}; last ack at ${at(sends.lastEndedAt)}; mean relay lag (commit→published) ${(relayLag.mean * 1000).toFixed(0)} ms`,
    );
    console.log(
      `    consumer  batches: ${batches.summary()}; first at ${at(batches.firstStartedAt)}, last done at ${at(batches.lastEndedAt)}`,
    );
    console.log(
      `    consumer  offset commits: ${offsetCommits.summary()}; handler (effect INSERT) total ${(handler.sum * 1000).toFixed(0)} ms over ${handler.count} events`,
    );
    console.log(`    ${cpuUse}`);
    if (pipeline.producerQueries)
      console.log(
        `    producer SQL (writer + relay), client-side:\n${pipeline.producerQueries.report('      ')}`,
      );
    if (pipeline.consumerQueries)
      console.log(
        `    consumer SQL (inbox + effect), client-side:\n${pipeline.consumerQueries.report('      ')}`,
      );
    console.log(
      `    check     ${effects} effect rows for ${warmup + events} events, ${await pipeline.duplicates()} duplicates absorbed by the inbox`,
    );
    return endToEndMs;
  } finally {
    await pipeline.close();
  }
}

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(
    `settings: ${events} events (+${warmup} warm-up), ${tuning.partitions} partitions; troupe: outbox tx of ${txSize}, relay.batchSize ${tuning.relayBatchSize}, ` +
      `consumer.chunkSize ${tuning.chunkSize}, consumer.partitionConcurrency ${tuning.partitionConcurrency}, handler effects '${tuning.effects}'`,
  );

  const raw = await runKafkaBaseline({
    events,
    warmup,
    partitions: tuning.partitions,
    sendBatchSize: tuning.relayBatchSize,
  });
  console.log(
    `(a) kafkajs   end-to-end  ${(raw.endToEndMs / 1000).toFixed(2)} s = ${perSecond(events, raw.endToEndMs)} events/s (produce alone ${perSecond(events, raw.produceMs)} events/s)`,
  );
  console.log(`    ${raw.cpu}`);

  const troupeMs = await runTroupe();
  const ratio = raw.endToEndMs / troupeMs;
  console.log(
    `ratio (b)/(a) = ${ratio.toFixed(2)} (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'missed'})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
