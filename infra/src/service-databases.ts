import { Client } from 'pg';
import { quoteIdent } from './postgres.part';
import { InfraSettings } from './settings';

/** The services that own data (and the platform's compensation, scheduler and tasks apps): each gets a login role and a schema of its own. */
export const DATA_OWNING_SERVICES = [
  'orders',
  'payments',
  'inventory',
  'shipping',
  'notifications',
  'compensation',
  'scheduler',
  'tasks',
] as const;

/**
 * Creates (idempotently) one login role and one schema per service in the app database. The
 * schema is owned by the service's role and no other role gets any privilege on it, so one
 * service cannot read another's tables. Local passwords equal the role names (trust auth
 * ignores them; Kubernetes takes them from secrets).
 */
export async function provisionServiceDatabases(
  settings: InfraSettings,
  services: readonly string[] = DATA_OWNING_SERVICES,
): Promise<void> {
  const admin = new URL(settings.databaseUrl);
  admin.pathname = `/${settings.appDatabase}`;
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    for (const service of services) {
      const role = quoteIdent(service);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [service]);
      if (exists.rowCount === 0)
        await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${service}'`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${role} AUTHORIZATION ${role}`);
      await client.query(`ALTER SCHEMA ${role} OWNER TO ${role}`);
      await client.query(`REVOKE ALL ON SCHEMA ${role} FROM PUBLIC`);
      await client.query(`ALTER ROLE ${role} SET search_path = ${role}`);
    }
  } finally {
    await client.end();
  }
}

/** The connection URL a service uses: its own role, the app database. */
export function serviceDatabaseUrl(settings: InfraSettings, service: string): string {
  const url = new URL(settings.databaseUrl);
  url.username = service;
  url.password = service;
  url.pathname = `/${settings.appDatabase}`;
  return url.toString();
}
