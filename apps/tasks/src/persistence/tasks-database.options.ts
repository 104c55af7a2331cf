import { serviceDatabaseOptions } from '@troupe/messaging';
import { TASK_MIGRATIONS } from '@troupe/tasks';
import { DataSourceOptions } from 'typeorm';
import type { TasksConfig } from '../tasks.config';
import { SentEmails1735000100000 } from './sent-emails.migration';

/** The tasks DataSource: its role, its schema, the task tables and the stand-in mailbox (migrated at start-up). */
export function tasksDatabaseOptions(
  config: Pick<TasksConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'> &
    Partial<Pick<TasksConfig, 'DATABASE_POOL_SIZE'>>,
): DataSourceOptions {
  return serviceDatabaseOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [],
    migrations: [...TASK_MIGRATIONS, SentEmails1735000100000],
  });
}
