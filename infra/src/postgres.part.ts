import { Client } from 'pg';
import { Part } from './part';
import { provisionServiceDatabases } from './service-databases';
import { InfraSettings } from './settings';

/**
 * PostgreSQL is not started by the scripts: the developer machine's server, or the compose
 * service, is used. This part checks it answers and creates the databases Troupe needs.
 */
export class PostgresPart implements Part {
  readonly name = 'postgresql';

  constructor(private readonly settings: InfraSettings) {}

  address(): string {
    const url = new URL(this.settings.databaseUrl);
    return `${url.hostname}:${url.port || 5432}`;
  }

  async up(): Promise<boolean> {
    if (!(await this.healthy())) {
      throw new Error(
        `PostgreSQL does not answer at ${this.address()} (DATABASE_URL). Start one with ` +
          '`docker compose -f docker-compose.kafka.yml up -d postgres`, or install it locally ' +
          '(e.g. `apt-get install postgresql`) and point DATABASE_URL at a superuser connection.',
      );
    }
    for (const db of [this.settings.appDatabase, this.settings.registryDatabase])
      await this.createDatabase(db);
    await provisionServiceDatabases(this.settings);
    return false;
  }

  async down(): Promise<boolean> {
    return false;
  }

  async healthy(): Promise<boolean> {
    return this.withClient(async (c) => (await c.query('select 1 as ok')).rows[0].ok === 1).catch(
      () => false,
    );
  }

  running(): undefined {
    return undefined;
  }

  logFiles(): string[] {
    return [];
  }

  localData(): string[] {
    return [
      `PostgreSQL database "${this.settings.appDatabase}" at ${this.address()} (every service's tables)`,
    ];
  }

  async wipe(): Promise<void> {
    await this.dropDatabase(this.settings.appDatabase);
  }

  async createDatabase(name: string): Promise<void> {
    await this.withClient(async (c) => {
      const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) await c.query(`create database ${quoteIdent(name)}`);
    });
  }

  async dropDatabase(name: string): Promise<void> {
    if (!(await this.healthy())) return;
    await this.withClient((c) =>
      c.query(`drop database if exists ${quoteIdent(name)} with (force)`),
    );
  }

  private async withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({
      connectionString: this.settings.databaseUrl,
      connectionTimeoutMillis: 3000,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
