/**
 * Where the end-to-end time goes: the three stages of the Troupe path, each run alone on the
 * machine (throughput.bench.ts runs them at once, sharing one event loop and the same cores).
 * 1. writer: N events into the outbox (nothing else running); 2. relay: drains them to Kafka;
 * 3. consumer: handles them (inbox + one-INSERT effect). SQL time per statement kind and CPU
 * use are printed for each stage.
 * Run: npx ts-node -r tsconfig-paths/register --transpile-only bench/stages.bench.ts
 */
import { waitFor } from '@troupe/testing';
import { performance } from 'node:perf_hooks';
import { setting, troupeTuning } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { perSecond } from './support/stats';
import { startConsumer, startTroupePipeline, writeEvents } from './support/troupe-pipeline';

const events = setting('EVENTS', 100_000);
const txSize = setting('TX_SIZE', 500);
const tuning = troupeTuning();

function report(stage: string, ms: number, cpu: string, sql?: string): void {
  console.log(`${stage.padEnd(9)} ${(ms / 1000).toFixed(2)} s = ${perSecond(events, ms)} events/s`);
  console.log(`          ${cpu}`);
  if (sql) console.log(sql);
}

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(`settings: ${events} events, outbox tx of ${txSize}, ${JSON.stringify(tuning)}`);
  const pipeline = await startTroupePipeline(tuning, { timeQueries: true, start: false });
  const {
    producer,
    consumer,
    producerTransport,
    consumerTransport,
    producerQueries,
    consumerQueries,
  } = pipeline;
  try {
    await producer.codec.schemaId(pipeline.Item); // registration is start-up work, not the writer's

    let cpu = startCpuSample();
    let startedAt = performance.now();
    await writeEvents(pipeline, 0, events, txSize);
    report('writer', performance.now() - startedAt, cpu(), producerQueries?.report('          '));

    producerQueries?.reset();
    cpu = startCpuSample();
    startedAt = performance.now();
    await producer.start(); // topics exist only now; the relay starts last in start()
    await waitFor(
      'the relay to publish every event',
      () => producerTransport.sends.messages >= events,
      600_000,
      5,
    );
    report(
      'relay',
      producerTransport.sends.lastEndedAt - startedAt,
      cpu(),
      `          Kafka sends: ${producerTransport.sends.summary()}\n${producerQueries?.report('          ')}`,
    );

    await startConsumer(consumer); // joining the group is not timed: the clock starts at the first batch
    cpu = startCpuSample();
    await waitFor(
      'the consumer to handle every event',
      async () => (await pipeline.handled()) >= events,
      600_000,
      5,
    );
    const doneAt = performance.now();
    report(
      'consumer',
      doneAt - consumerTransport.batches.firstStartedAt,
      cpu(),
      `          batches: ${consumerTransport.batches.summary()}\n${consumerQueries?.report('          ')}`,
    );
  } finally {
    await pipeline.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
