import { defineTestEvent } from '@troupe/testing';

/** The event a test task publishes as its effect, on a topic of the test's own. */
export function effectEvent(topic: string) {
  return defineTestEvent<{ taskId: string; replica: string }>(
    topic,
    {
      type: 'record',
      name: 'EffectDone',
      namespace: 'troupe.it.scheduler',
      fields: [
        { name: 'taskId', type: 'string' },
        { name: 'replica', type: 'string' },
      ],
    },
    'taskId',
  );
}
