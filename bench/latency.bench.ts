/**
 * Latency: events written at a fixed rate, each in its own transaction; commit-to-handler time
 * (handler start minus the moment the writer's transaction() resolved, both performance.now()
 * in this process), split into stages with the transport's per-event stamps.
 * Run: npm run bench:latency (settings: see docs/benchmarks.md).
 */
import { waitFor } from '@troupe/testing';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { benchItem } from './support/bench-event';
import { flag, setting, troupeTuning } from './support/bench-settings';
import { startCpuSample } from './support/cpu-sampler';
import { describeMachine } from './support/machine';
import { runOpenLoop } from './support/open-loop';
import { samplePoolQueue } from './support/pool-sampler';
import { EventTimeline, formatStages } from './support/latency-stages';
import { distribution, formatDistribution } from './support/stats';
import { startTroupePipeline } from './support/troupe-pipeline';

const rate = setting('RATE', 1_000);
const seconds = setting('SECONDS', 20);
const warmupSeconds = setting('WARMUP_SECONDS', 5);
const tuning = troupeTuning();

async function main(): Promise<void> {
  console.log(describeMachine());
  console.log(
    `settings: ${rate} events/s for ${seconds} s after ${warmupSeconds} s warm-up, one event per transaction; ${JSON.stringify(tuning)}`,
  );
  // The handler's first stamp wins: a retried chunk runs the handler again.
  const handlerStartedAt = new Map<string, number>();
  const pipeline = await startTroupePipeline(tuning, {
    stampEvents: true,
    timeQueries: flag('QUERY_TIMES'),
    onHandle: (ctx) => {
      if (!handlerStartedAt.has(ctx.eventId)) handlerStartedAt.set(ctx.eventId, performance.now());
    },
  });
  const { producerDb, producer, Item } = pipeline;
  const committedAt = new Map<string, number>();
  const txMs: number[] = [];
  try {
    const writeOne = async (n: number, record: boolean) => {
      const begun = performance.now();
      let id = '';
      await producerDb.transaction(async (tx) => {
        id = (await producer.writer.add(tx, Item.of(benchItem(n)))).id;
      });
      // After transaction() resolved: the commit is done, so the relay may see the row from now on.
      const now = performance.now();
      if (record) {
        committedAt.set(id, now);
        txMs.push(now - begun);
      }
    };

    await runOpenLoop(rate, warmupSeconds * 1000, (i) => writeOne(i, false));
    pipeline.producerQueries?.reset();
    pipeline.consumerQueries?.reset();
    const cpu = startCpuSample();
    // How late this process's timers fire: time every stage above spends waiting for the event loop.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const poolQueue = samplePoolQueue(producerDb);
    const run = await runOpenLoop(rate, seconds * 1000, (i) => writeOne(1_000_000 + i, true));
    await waitFor(
      'every measured event to be handled',
      () => [...committedAt.keys()].every((id) => handlerStartedAt.has(id)),
      120_000,
      20,
    );
    const cpuUse = cpu();
    loopDelay.disable();
    const producerPool = poolQueue();

    const ids = [...committedAt.keys()];
    const latency = ids.map((id) => handlerStartedAt.get(id)! - committedAt.get(id)!);
    const timelines: EventTimeline[] = ids.map((id) => ({
      committedAt: committedAt.get(id)!,
      handlerStartedAt: handlerStartedAt.get(id)!,
      ...pipeline.producerTransport.stamps.get(id),
      ...pipeline.consumerTransport.stamps.get(id),
    }));
    const perSecond = Math.round((run.started / run.elapsedMs) * 1000);
    console.log(
      `achieved  ${run.started} events in ${(run.elapsedMs / 1000).toFixed(1)} s = ${perSecond} events/s; at most ${run.maxInFlight} writer transactions in flight`,
    );
    console.log(`writer    transaction (begin to commit returned)   ${formatDistribution(txMs)}`);
    console.log(
      `latency   commit → handler start                   ${formatDistribution(latency)}  (min ${Math.min(...latency).toFixed(1)} ms)`,
    );
    console.log(`stages\n${formatStages(timelines)}`);
    console.log(`relay     Kafka sends: ${pipeline.producerTransport.sends.summary()}`);
    console.log(`consumer  batches: ${pipeline.consumerTransport.batches.summary()}`);
    console.log(`    ${cpuUse}`);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(
      `    event-loop delay: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`,
    );
    console.log(`    producer ${producerPool}`);
    for (const [name, timer] of [
      ['producer SQL (writer + relay)', pipeline.producerQueries],
      ['consumer SQL (inbox + effect)', pipeline.consumerQueries],
    ] as const) {
      if (timer) console.log(`    ${name}, client-side:\n${timer.report('      ')}`);
    }
    const p99 = distribution(latency).p99;
    console.log(
      `p99 ${p99.toFixed(1)} ms (target ≤ 50 ms: ${p99 <= 50 ? 'met' : `missed by ${(p99 - 50).toFixed(1)} ms`})`,
    );
  } finally {
    await pipeline.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
