import { TROUPE_ENTITIES, TROUPE_MIGRATIONS } from '@troupe/messaging';
import { DataSource, DataSourceOptions } from 'typeorm';
import { testInfra, uniqueName } from './test-infra';

/**
 * A DataSource on the real PostgreSQL, in a schema of its own (created here, with the Troupe
 * tables migrated in), so tests never see each other's rows. `drop()` removes the schema.
 */
export async function createTestDataSource(
  options: { schema?: string; entities?: DataSourceOptions['entities']; poolSize?: number } = {},
): Promise<DataSource & { drop(): Promise<void> }> {
  const schema = options.schema ?? uniqueName('t').replace(/-/g, '_');
  const dataSource = new DataSource({
    type: 'postgres',
    url: testInfra.databaseUrl(),
    schema,
    entities: [...TROUPE_ENTITIES, ...((options.entities as never[]) ?? [])],
    migrations: TROUPE_MIGRATIONS,
    // Unqualified table names in tests resolve to the test's schema.
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${schema}` },
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await dataSource.runMigrations({ transaction: 'all' });
  return Object.assign(dataSource, {
    async drop() {
      if (!dataSource.isInitialized) return;
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  });
}
