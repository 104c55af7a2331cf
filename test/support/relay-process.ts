/**
 * A relay in a process of its own, for tests that kill it: `relay-process.ts <schema>`.
 * Prints its state (standby / leader) on stdout whenever it changes.
 */
import { TroupeRuntime } from '@troupe/messaging';
import { TROUPE_ENTITIES } from '@troupe/outbox';
import { testInfra } from '@troupe/testing';
import { DataSource } from 'typeorm';

async function main(schema: string): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: testInfra.databaseUrl(),
    schema,
    entities: TROUPE_ENTITIES,
  });
  await dataSource.initialize();
  const runtime = new TroupeRuntime(
    {
      service: 'relay-process',
      kafka: { brokers: testInfra.kafkaBrokers() },
      schemaRegistry: { url: testInfra.schemaRegistryUrl() },
      topics: { create: false },
      relay: { pollIntervalMs: 200, standbyRetryMs: 500 },
      log: () => undefined,
    },
    dataSource,
  );
  await runtime.start();
  let last = '';
  setInterval(() => {
    if (runtime.relayState !== last) {
      last = runtime.relayState;
      process.stdout.write(`${last}\n`);
    }
  }, 50);
}

void main(process.argv[2]);
