import { TROUPE_ENTITIES, TroupeTables1732300000000 } from '@troupe/outbox';
import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface ServiceDatabaseOptions {
  /** The service's own login (postgres://<role>@host/db); its role owns `schema`. */
  url: string;
  /** The service's schema; every table of the service lives there. */
  schema: string;
  /** The service's entities (Troupe's outbox and inbox are added). */
  entities: MixedList<Function | string | EntitySchema>;
  /** The service's migrations (Troupe's tables migration runs first). */
  migrations?: Function[];
  poolSize?: number;
}

/**
 * TypeORM options for a Troupe service: its own schema, as its own role, migrations run at
 * start-up (as that role), Troupe's tables included. Use with TypeOrmModule.forRootAsync.
 */
export function serviceDatabaseOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [...TROUPE_ENTITIES, ...(options.entities as Function[])],
    migrations: [TroupeTables1732300000000, ...(options.migrations ?? [])],
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}` },
  };
}
