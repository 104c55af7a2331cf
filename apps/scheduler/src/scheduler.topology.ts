import { ServiceTopology } from '@troupe/messaging';

/**
 * The scheduler publishes and handles no events of its own today: its jobs orchestrate through
 * the services' HTTP APIs. Read by `npm run topology` (it still gets its Kafka user for the
 * outbox it may publish through).
 */
export const schedulerTopology: ServiceTopology = { service: 'scheduler', publishes: [], handlers: [] };
