/**
 * A consumer service in a process of its own, for tests that signal or kill it:
 * `counting-consumer.process.ts <schema> <topic> <group>`. Each event of the test topic inserts
 * one row into <schema>.effects. Prints "ready" once in its group and "stopped" after a graceful
 * stop on SIGTERM (then exits 0).
 */
import { TroupeRuntime } from '@troupe/messaging';
import { TROUPE_ENTITIES } from '@troupe/outbox';
import { testInfra } from '@troupe/testing';
import { DataSource } from 'typeorm';
import { countingEvent } from './counting-event';

async function main(schema: string, topic: string, group: string): Promise<void> {
  const Counted = countingEvent(topic);
  const dataSource = new DataSource({
    type: 'postgres',
    url: testInfra.databaseUrl(),
    schema,
    entities: TROUPE_ENTITIES,
    extra: { options: `-c search_path=${schema}` },
  });
  await dataSource.initialize();
  const runtime = new TroupeRuntime(
    {
      service: 'counting-consumer',
      kafka: { brokers: testInfra.kafkaBrokers() },
      schemaRegistry: { url: testInfra.schemaRegistryUrl() },
      relay: false,
      topics: { create: false },
      consumer: { restartMaxBackoffMs: 2000 },
      log: (level, msg) => level !== 'info' && process.stderr.write(`${level} ${msg}\n`),
    },
    dataSource,
  );
  runtime.addHandler({
    event: Counted,
    group,
    delivery: 'once',
    retry: {},
    name: 'CountingConsumer.count',
    handle: async (_event, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 2)); // some work in flight
      await ctx.tx.query('INSERT INTO effects (event_id) VALUES ($1)', [ctx.eventId]);
    },
  });
  await runtime.start();
  const ready = setInterval(() => {
    if (runtime.isReady()) {
      process.stdout.write('ready\n');
      clearInterval(ready);
    }
  }, 50);
  process.once('SIGTERM', async () => {
    clearInterval(ready);
    await runtime.stop();
    await dataSource.destroy();
    process.stdout.write('stopped\n');
    process.exit(0);
  });
}

void main(process.argv[2], process.argv[3], process.argv[4]);
