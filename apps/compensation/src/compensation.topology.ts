import { ServiceTopology } from '@troupe/messaging';

/**
 * The compensation app handles no events: it reads every group's offsets and dead letters,
 * and writes a group's replay topic to re-deliver events to that group alone.
 */
export const compensationTopology: ServiceTopology = {
  service: 'compensation',
  publishes: [],
  handlers: [],
  platformAccess: ['write-replay-topics', 'read-dead-letter-topics', 'describe-all'],
};
