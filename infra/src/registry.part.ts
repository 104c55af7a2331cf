import * as path from 'node:path';
import { JvmServicePart, LaunchSpec } from './jvm-service.part';
import { apicurioJar, javaBinary } from './maven-artifacts';
import { PostgresPart } from './postgres.part';
import { InfraSettings, registryUrl } from './settings';

/**
 * Apicurio Registry serving the Confluent Schema Registry API under /apis/ccompat/v7, its
 * schemas kept in PostgreSQL so that schema ids survive a restart.
 */
export class RegistryPart extends JvmServicePart {
  constructor(
    settings: InfraSettings,
    private readonly postgres: PostgresPart,
  ) {
    super('registry', settings, settings.registryPort);
  }

  address(): string {
    return registryUrl(this.settings);
  }

  protected portVariable(): string {
    return 'TROUPE_REGISTRY_PORT';
  }

  async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.address()}/subjects`, {
        signal: AbortSignal.timeout(2000),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** Starts (or reuses) the registry and sets Confluent's default global compatibility, BACKWARD. */
  override async up(): Promise<boolean> {
    const started = await super.up();
    const response = await fetch(`${this.address()}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    if (!response.ok)
      throw new Error(
        `registry refused the global compatibility setting: ${response.status} ${await response.text()}`,
      );
    return started;
  }

  override localData(): string[] {
    return [
      ...super.localData(),
      `PostgreSQL database "${this.settings.registryDatabase}" (registered schemas)`,
    ];
  }

  override async wipe(): Promise<void> {
    await super.wipe();
    await this.emptySchemas();
  }

  /** Schema ids belong to one cluster's topics: a new cluster starts with an empty registry. */
  async emptySchemas(): Promise<void> {
    await this.postgres.dropDatabase(this.settings.registryDatabase);
    await this.postgres.createDatabase(this.settings.registryDatabase);
  }

  protected async prepare(): Promise<LaunchSpec> {
    const jar = apicurioJar(this.settings);
    if (!jar)
      throw new Error('the Apicurio Registry jar is missing; run `npm run infra:up` to resolve it');
    const db = new URL(this.settings.databaseUrl);
    return {
      command: javaBinary(),
      args: ['-Xms128m', '-Xmx512m', '-jar', jar],
      cwd: path.dirname(jar),
      env: {
        QUARKUS_HTTP_HOST: '127.0.0.1',
        QUARKUS_HTTP_PORT: String(this.settings.registryPort),
        QUARKUS_LOG_CONSOLE_LEVEL: 'INFO',
        QUARKUS_HTTP_ACCESS_LOG_ENABLED: 'false',
        APICURIO_STORAGE_KIND: 'sql',
        APICURIO_STORAGE_SQL_KIND: 'postgresql',
        APICURIO_DATASOURCE_URL: `jdbc:postgresql://${db.hostname}:${db.port || 5432}/${this.settings.registryDatabase}`,
        APICURIO_DATASOURCE_USERNAME: decodeURIComponent(db.username || 'postgres'),
        APICURIO_DATASOURCE_PASSWORD: decodeURIComponent(db.password || ''),
      },
    };
  }
}
