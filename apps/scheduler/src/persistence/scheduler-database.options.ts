import { serviceDatabaseOptions } from '@troupe/messaging';
import { SCHEDULING_MIGRATIONS } from '@troupe/scheduling';
import { DataSourceOptions } from 'typeorm';
import { SchedulerConfig } from '../scheduler.config';

/**
 * The scheduler's DataSource: its own role and schema, holding only its own tables (jobs, run
 * history, tasks, and Troupe's outbox and inbox), migrated at start-up. It reads no other
 * service's tables: jobs go through the services' APIs.
 */
export function schedulerDatabaseOptions(
  config: Pick<SchedulerConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'> &
    Partial<Pick<SchedulerConfig, 'DATABASE_POOL_SIZE'>>,
): DataSourceOptions {
  return serviceDatabaseOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [],
    migrations: SCHEDULING_MIGRATIONS,
  });
}
