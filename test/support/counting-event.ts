import { defineTestEvent } from '@troupe/testing';

/** The event of the counting-consumer fixture, on a topic of the test's choosing. */
export function countingEvent(topic: string) {
  return defineTestEvent<{ n: number }>(topic, {
    type: 'record',
    name: 'Counted',
    namespace: 'troupe.it',
    fields: [{ name: 'n', type: 'int' }],
  });
}
