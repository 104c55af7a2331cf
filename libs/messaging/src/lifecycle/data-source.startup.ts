import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * One attempt at DataSource.initialize() (connect, build metadata, run migrations). TypeORM
 * destroys what it built when a later stage fails, but a failure inside its driver's connect
 * (after the pool was made, e.g. the server dropped the first session) leaves that pool
 * behind: it is ended here, so retrying does not leak connections.
 */
export async function initializeDataSource(dataSource: DataSource): Promise<void> {
  try {
    await dataSource.initialize();
  } catch (error) {
    const driver = dataSource.driver as unknown as { master?: { end(): Promise<void> } };
    if (!dataSource.isInitialized && driver.master) {
      await driver.master.end().catch(() => undefined);
      driver.master = undefined;
    }
    throw error;
  }
}

/** host:port/database of a PostgreSQL DataSource, without credentials, for log lines. */
export function postgresAddress(options: DataSourceOptions): string {
  const o = options as { url?: string; host?: string; port?: number; database?: string };
  if (o.url) {
    try {
      const url = new URL(o.url);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'an unparsable DATABASE_URL';
    }
  }
  return `${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`;
}
