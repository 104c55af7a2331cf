import { defineTestEvent } from '@troupe/testing';

export interface BenchItemData {
  itemId: string;
  n: number;
}

/** Distinct message keys (aggregate ids): enough to spread evenly over the partitions. */
const KEYS = 1000;

/**
 * The small event both benches send (about 20 bytes of Avro), on a topic of the run's own so
 * every run starts from an empty topic and a fresh subject in the registry.
 */
export function defineBenchEvent(topic: string) {
  return defineTestEvent<BenchItemData>(
    topic,
    {
      type: 'record',
      name: 'BenchItemRecorded',
      namespace: 'troupe.bench',
      fields: [
        { name: 'itemId', type: 'string' },
        { name: 'n', type: 'int' },
      ],
    },
    'itemId',
  );
}

export type BenchEventClass = ReturnType<typeof defineBenchEvent>;

export function benchItem(n: number): BenchItemData {
  return { itemId: `item-${n % KEYS}`, n };
}
