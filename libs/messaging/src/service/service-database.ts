import { TROUPE_ENTITIES } from '../persistence/troupe-entities';
import { TROUPE_MIGRATIONS } from '../persistence/troupe-migrations';
import { DataSourceOptions } from 'typeorm';

type Entities = NonNullable<DataSourceOptions['entities']>;
type Migrations = Extract<NonNullable<DataSourceOptions['migrations']>, unknown[]>;

export interface ServiceDatabaseOptions {
  /** The service's own login (postgres://<role>@host/db); its role owns `schema`. */
  url: string;
  /** The service's schema; every table of the service lives there. */
  schema: string;
  /** The service's entities (Troupe's outbox and inbox are added). */
  entities: Entities;
  /** The service's migrations (Troupe's tables migration runs first). */
  migrations?: Migrations;
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
    entities: [...TROUPE_ENTITIES, ...(Array.isArray(options.entities) ? options.entities : Object.values(options.entities))] as Entities,
    migrations: [...TROUPE_MIGRATIONS, ...(options.migrations ?? [])] as Migrations,
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}` },
  };
}
