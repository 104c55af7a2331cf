import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { BROKER_SETTINGS } from './kafka.part';
import { loadSettings } from './settings';
import { PORT_OFFSETS } from '../../scripts/start/platform-apps';

/** docker-compose.kafka.yml cannot run here (no Docker engine); this keeps it in step with infra/. */
describe('docker-compose.kafka.yml', () => {
  const compose = parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.kafka.yml'), 'utf8'),
  );
  // The compose file carries the defaults: settings read without this shell's overrides.
  const settings = withoutOverrides(loadSettings);
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

  it("provisions Troupe's dashboards into Grafana and its alert rules into Prometheus", () => {
    const volumes = (name: string) => (compose.services[name].volumes ?? []) as string[];
    const provider = parse(
      fs.readFileSync(
        path.join(__dirname, '..', 'grafana', 'provisioning', 'dashboards', 'troupe.yml'),
        'utf8',
      ),
    );
    const dashboardsPath = provider.providers[0].options.path;
    expect(volumes('grafana')).toContain(`./infra/grafana/dashboards:${dashboardsPath}:ro`);
    expect(volumes('grafana')).toContain(
      './infra/grafana/provisioning:/etc/grafana/provisioning:ro',
    );
    const prometheus = parse(
      fs.readFileSync(path.join(__dirname, '..', 'prometheus', 'prometheus.yml'), 'utf8'),
    );
    expect(volumes('prometheus')).toContain('./infra/prometheus/rules:/etc/prometheus/rules:ro');
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });

  it('has Prometheus scrape every app of npm start, the lag exporter (compensation) included', () => {
    const prometheus = parse(
      fs.readFileSync(path.join(__dirname, '..', 'prometheus', 'prometheus.yml'), 'utf8'),
    );
    const targets: string[] = prometheus.scrape_configs.flatMap(
      (c: { static_configs: Array<{ targets: string[] }> }) =>
        c.static_configs.flatMap((s) => s.targets),
    );
    const ports = targets.map((t) => Number(t.split(':')[1])).sort((a, b) => a - b);
    // Without TROUPE_APP_PORT_BASE, the default ports npm start uses.
    const defaults = Object.values(PORT_OFFSETS)
      .map((offset) => 3000 + offset)
      .sort((a, b) => a - b);
    expect(ports).toEqual(defaults);
    for (const port of hostPort('grafana') ?? []) expect(defaults).not.toContain(port);
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

/** Runs `read` with the TROUPE_* and DATABASE_URL variables of this shell set aside. */
function withoutOverrides<T>(read: () => T): T {
  const saved = Object.entries(process.env).filter(
    ([name]) => name.startsWith('TROUPE_') || name === 'DATABASE_URL',
  );
  for (const [name] of saved) delete process.env[name];
  try {
    return read();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
