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

/** DataSource options, plus @nestjs/typeorm's `manualInitialization` (see serviceDatabaseOptions). */
export type ServiceDataSourceOptions = DataSourceOptions & { manualInitialization: true };

/** How long connecting, or waiting for a free connection of the pool, may take (pg's connectionTimeoutMillis). */
export const DATABASE_CONNECT_TIMEOUT_MS = 10_000;

/**
 * TypeORM options for a Troupe service: its own schema, as its own role, migrations run at
 * start-up (as that role), Troupe's tables included. Use with TypeOrmModule.forRootAsync.
 *
 * `manualInitialization`: @nestjs/typeorm does not connect while the application's modules are
 * built (it would try retryAttempts = 9 times, 3 s apart, then end the process, and nothing
 * listens meanwhile); TroupeExplorer connects at bootstrap, waiting for PostgreSQL as long as it
 * is unreachable, while the service already answers /health. Connecting, or waiting for one of
 * the pool's connections, gives up after DATABASE_CONNECT_TIMEOUT_MS (pg waits forever
 * otherwise, e.g. for a server behind a dead link): the request then gets a 503.
 */
export function serviceDatabaseOptions(options: ServiceDatabaseOptions): ServiceDataSourceOptions {
  return {
    manualInitialization: true,
    connectTimeoutMS: DATABASE_CONNECT_TIMEOUT_MS,
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [
      ...TROUPE_ENTITIES,
      ...(Array.isArray(options.entities) ? options.entities : Object.values(options.entities)),
    ] as Entities,
    migrations: [...TROUPE_MIGRATIONS, ...(options.migrations ?? [])] as Migrations,
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}` },
  };
}
