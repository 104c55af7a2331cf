/**
 * The producing service of bench/processes.bench.ts in a process of its own, as deployed: a
 * TroupeRuntime with its relay, writing bench events into its outbox when the parent asks
 * (IPC messages), and answering with what it measured. Commit times are wall-clock epoch
 * milliseconds (performance.timeOrigin + performance.now()), comparable across processes of
 * one machine.
 */
import { KafkajsTransport, TroupeRuntime } from '@troupe/messaging';
import { TroupeEvent } from '@troupe/schemas';
import { createTestDataSource } from '@troupe/testing';
import { performance } from 'node:perf_hooks';
import { benchItem, defineBenchEvent } from './bench-event';
import { infra, quietLog } from './bench-infra';
import { runOpenLoop } from './open-loop';

export type ProducerRequest =
  | { kind: 'latency'; rate: number; warmupSeconds: number; seconds: number }
  | { kind: 'burst'; from: number; events: number; txSize: number }
  | { kind: 'stop' };

export type ProducerReply =
  | { kind: 'ready' }
  | { kind: 'latency'; committed: Array<[string, number]>; txMs: number[]; achieved: number; elapsedMs: number; maxInFlight: number }
  | { kind: 'burst'; startedAt: number; writeMs: number }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: string };

export const epochNow = (): number => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const run = process.env.BENCH_RUN!;
  const partitions = Number(process.env.BENCH_PARTITIONS ?? 4);
  const Item = defineBenchEvent(`${run}.item.events`);
  const db = await createTestDataSource({ schema: `${run}_producer`, poolSize: 10 });
  const runtime = new TroupeRuntime(
    {
      service: 'bench-producer',
      kafka: { brokers: infra.brokers },
      schemaRegistry: { url: infra.registryUrl },
      topics: { partitions },
      publishes: [Item],
      relay: { batchSize: Number(process.env.BENCH_RELAY_BATCH_SIZE ?? 500) },
      transport: new KafkajsTransport({ brokers: infra.brokers, clientId: 'bench-producer', log: quietLog }),
      log: quietLog,
    },
    db,
  );
  await runtime.start();
  const reply = (message: ProducerReply) => process.send!(message);

  process.on('message', async (request: ProducerRequest) => {
    try {
      if (request.kind === 'latency') {
        const committed: Array<[string, number]> = [];
        const txMs: number[] = [];
        const writeOne = async (n: number, record: boolean) => {
          const begun = performance.now();
          const { id } = await db.transaction((tx) => runtime.writer.add(tx, Item.of(benchItem(n))));
          if (record) {
            committed.push([id, epochNow()]);
            txMs.push(performance.now() - begun);
          }
        };
        await runOpenLoop(request.rate, request.warmupSeconds * 1000, (i) => writeOne(i, false));
        const result = await runOpenLoop(request.rate, request.seconds * 1000, (i) => writeOne(1_000_000 + i, true));
        reply({ kind: 'latency', committed, txMs, achieved: result.started, elapsedMs: result.elapsedMs, maxInFlight: result.maxInFlight });
      } else if (request.kind === 'burst') {
        const startedAt = epochNow();
        for (let start = request.from; start < request.from + request.events; start += request.txSize) {
          const entries: Array<{ event: TroupeEvent }> = [];
          for (let n = start; n < Math.min(request.from + request.events, start + request.txSize); n++) entries.push({ event: Item.of(benchItem(n)) });
          await db.transaction((tx) => runtime.writer.addAll(tx, entries));
        }
        reply({ kind: 'burst', startedAt, writeMs: epochNow() - startedAt });
      } else {
        await runtime.stop();
        await db.drop();
        reply({ kind: 'stopped' });
        process.exit(0);
      }
    } catch (error) {
      reply({ kind: 'failed', error: String((error as Error)?.stack ?? error) });
    }
  });
  reply({ kind: 'ready' });
}

if (require.main === module) {
  main().catch((error) => {
    process.send?.({ kind: 'failed', error: String(error?.stack ?? error) } satisfies ProducerReply);
    process.exit(1);
  });
}
