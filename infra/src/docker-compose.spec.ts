import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { BROKER_SETTINGS } from './kafka.part';
import { loadSettings } from './settings';

/** docker-compose.kafka.yml cannot run here (no Docker engine); this keeps it in step with infra/. */
describe('docker-compose.kafka.yml', () => {
  const compose = parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.kafka.yml'), 'utf8'),
  );
  const settings = loadSettings();
  const services = compose.services as Record<
    string,
    { image: string; ports?: string[]; environment?: Record<string, string> }
  >;
  const hostPort = (service: string) =>
    services[service].ports?.map((p) => Number(p.split(':')[0]));

  it('has the parts infra/ runs, plus Prometheus and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual([
      'grafana',
      'kafka',
      'postgres',
      'prometheus',
      'schema-registry',
    ]);
  });

  it('runs the Kafka version infra/pom.xml resolves, in KRaft mode on the same port', () => {
    expect(services.kafka.image).toBe(`apache/kafka:${settings.kafkaVersion}`);
    expect(services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(hostPort('kafka')).toEqual([settings.kafkaPort]);
    expect(services.kafka.environment?.KAFKA_ADVERTISED_LISTENERS).toContain(
      `PLAINTEXT://localhost:${settings.kafkaPort}`,
    );
  });

  it.each(Object.entries(BROKER_SETTINGS))(
    'sets the broker setting %s=%s like infra/',
    (key, value) => {
      const variable = `KAFKA_${key.toUpperCase().replace(/\./g, '_')}`;
      expect(services.kafka.environment?.[variable]).toBe(value);
    },
  );

  it('points the registry at the broker and serves it on the same port', () => {
    expect(services['schema-registry'].image).toMatch(/^confluentinc\/cp-schema-registry:/);
    expect(hostPort('schema-registry')).toEqual([settings.registryPort]);
    const internal = /INTERNAL:\/\/(kafka:\d+)/.exec(
      services.kafka.environment?.KAFKA_ADVERTISED_LISTENERS ?? '',
    )?.[1];
    expect(
      services['schema-registry'].environment?.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS,
    ).toBe(`PLAINTEXT://${internal}`);
  });

  it('offers PostgreSQL on the port and database DATABASE_URL defaults to', () => {
    const url = new URL(settings.databaseUrl);
    expect(hostPort('postgres')).toEqual([Number(url.port || 5432)]);
    expect(services.postgres.environment?.POSTGRES_DB).toBe(settings.appDatabase);
    expect(services.postgres.environment?.POSTGRES_USER).toBe(decodeURIComponent(url.username));
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, service] of Object.entries(
      compose.services as Record<string, { volumes?: string[] }>,
    )) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./'))
          expect({ name, exists: fs.existsSync(path.join(__dirname, '..', '..', source)) }).toEqual(
            { name, exists: true },
          );
      }
    }
  });
});
