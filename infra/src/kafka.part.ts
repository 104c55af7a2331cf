import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { JvmServicePart, LaunchSpec } from './jvm-service.part';
import { javaBinary, kafkaLibDir } from './maven-artifacts';
import { InfraSettings, kafkaBootstrap } from './settings';

/**
 * Broker settings shared by the local broker and docker-compose.kafka.yml (a unit spec checks
 * that the compose file agrees): one node, so replication factors of 1, and no initial
 * rebalance delay so consumer groups form at once. Topics are declared, never auto-created.
 */
export const BROKER_SETTINGS: Readonly<Record<string, string>> = {
  'num.partitions': '1',
  'default.replication.factor': '1',
  'min.insync.replicas': '1',
  'offsets.topic.replication.factor': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'share.coordinator.state.topic.replication.factor': '1',
  'share.coordinator.state.topic.min.isr': '1',
  'group.initial.rebalance.delay.ms': '0',
  'auto.create.topics.enable': 'false',
  // Segments roll daily (Kafka's default is weekly): a message outlives retention.ms by at most a
  // segment, and the inbox's dedup window (9 days) must cover both.
  'log.roll.hours': '24',
};

/** Apache Kafka in KRaft mode: one node that is both broker and controller. */
export class KafkaPart extends JvmServicePart {
  /** Called after storage is formatted for a new cluster (the registry empties itself then). */
  onNewCluster: () => Promise<void> = async () => undefined;

  constructor(settings: InfraSettings) {
    super('kafka', settings, settings.kafkaPort);
  }

  address(): string {
    return kafkaBootstrap(this.settings);
  }

  protected portVariable(): string {
    return 'TROUPE_KAFKA_PORT';
  }

  override logFiles(): string[] {
    return [...super.logFiles(), path.join(this.dir(), 'logs', 'server.log')];
  }

  /** A metadata request answered by the broker with itself as a live node. */
  async healthy(): Promise<boolean> {
    const admin = new Kafka({
      clientId: 'troupe-infra',
      brokers: [this.address()],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 2000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  protected async prepare(): Promise<LaunchSpec> {
    const java = javaBinary();
    const classpath = path.join(kafkaLibDir(this.settings), '*');
    const dataDir = path.join(this.dir(), 'data');
    const logDir = path.join(this.dir(), 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    const config = path.join(this.dir(), 'server.properties');
    fs.writeFileSync(config, this.serverProperties(dataDir));
    const log4j = path.join(this.dir(), 'log4j2.yaml');
    fs.writeFileSync(log4j, log4jConfig(logDir));

    if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
      const clusterId = execFileSync(
        java,
        ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n')
        .pop() as string;
      execFileSync(
        java,
        [
          '-cp',
          classpath,
          'kafka.tools.StorageTool',
          'format',
          '--standalone',
          '-t',
          clusterId,
          '-c',
          config,
        ],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      await this.onNewCluster();
    }
    return {
      command: java,
      args: [
        '-Xms256m',
        '-Xmx1g',
        '-XX:+UseG1GC',
        `-Dlog4j2.configurationFile=${log4j}`,
        `-Dkafka.logs.dir=${logDir}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        config,
      ],
    };
  }

  private serverProperties(dataDir: string): string {
    const { kafkaPort, controllerPort } = this.settings;
    return [
      '# Written by infra/src/kafka.part.ts on every start; edit that file, not this one.',
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${kafkaPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${dataDir}`,
      ...Object.entries(BROKER_SETTINGS).map(([key, value]) => `${key}=${value}`),
      '',
    ].join('\n');
  }
}

function log4jConfig(logDir: string): string {
  return `Configuration:
  Appenders:
    RollingFile:
      name: server
      fileName: "${logDir}/server.log"
      filePattern: "${logDir}/server.log.%i"
      PatternLayout: { pattern: "[%d] %p %m (%c)%n" }
      Policies: { SizeBasedTriggeringPolicy: { size: 50MB } }
      DefaultRolloverStrategy: { max: 3 }
  Loggers:
    Root:
      level: INFO
      AppenderRef: [{ ref: server }]
    Logger:
      - { name: org.apache.kafka.controller, level: WARN }
      - { name: kafka.request.logger, level: WARN }
`;
}
