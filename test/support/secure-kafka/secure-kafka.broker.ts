import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { BackgroundProcess, portInUse, waitFor } from '../../../infra/src/background-process';
import { BROKER_SETTINGS } from '../../../infra/src/kafka.part';
import { javaBinary, kafkaLibDir } from '../../../infra/src/maven-artifacts';
import { loadSettings } from '../../../infra/src/settings';
import { TestCertificates, makeTestCertificates } from './test-certificates';

export const SUPER_USER = 'admin';

/** Where the secured broker listens: TROUPE_SECURE_KAFKA_PORT and the three ports after it. */
export function secureKafkaPorts(): { sasl: number; controller: number; saslSsl: number } {
  const raw = process.env.TROUPE_SECURE_KAFKA_PORT || '9096';
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base > 65000)
    throw new Error(`TROUPE_SECURE_KAFKA_PORT must be a port from 1024 to 65000, got "${raw}"`);
  return { sasl: base, controller: base + 1, saslSsl: base + 2 };
}

/**
 * A one-node Kafka (the same jars as infra/) secured as a Strimzi cluster with
 * `authentication: scram-sha-512` and `authorization: simple` is: a SASL_PLAINTEXT listener and
 * a SASL_SSL listener with SCRAM-SHA-512 only, the standard KRaft authorizer, no access without
 * an ACL, and one super user for the test's own set-up. The users' SCRAM credentials are added
 * when the storage is formatted (kafka-storage --add-scram), as the User Operator would add
 * them. The controller listener authenticates the node itself with PLAIN (SCRAM is not
 * available to controllers). Data lives in infra/.data/kafka-secure and is removed by stop();
 * a broker a crashed run left behind is stopped by the next start().
 */
export class SecureKafkaBroker {
  readonly ports = secureKafkaPorts();
  readonly dir = path.join(loadSettings().dataDir, 'kafka-secure');
  readonly superPassword = randomBytes(12).toString('hex');
  private readonly process = new BackgroundProcess(
    'kafka-secure',
    path.join(this.dir, 'kafka.pid'),
    path.join(this.dir, 'kafka.out'),
  );
  private readonly passwords = new Map<string, string>();
  certificates?: TestCertificates;

  /** Formats a new cluster with these users (random passwords) and starts it. */
  async start(users: readonly string[]): Promise<void> {
    await this.process.stop(5000);
    fs.rmSync(this.dir, { recursive: true, force: true });
    for (const [name, port] of Object.entries(this.ports))
      if (await portInUse(port))
        throw new Error(
          `secure Kafka: port ${port} (${name}) is taken; set TROUPE_SECURE_KAFKA_PORT`,
        );
    fs.mkdirSync(path.join(this.dir, 'logs'), { recursive: true });
    this.certificates = makeTestCertificates(path.join(this.dir, 'tls'));
    for (const user of users) this.passwords.set(user, randomBytes(12).toString('hex'));
    const settings = loadSettings();
    const java = javaBinary();
    const classpath = path.join(kafkaLibDir(settings), '*');
    const config = path.join(this.dir, 'server.properties');
    fs.writeFileSync(config, this.serverProperties());
    const scram = [[SUPER_USER, this.superPassword], ...this.passwords].flatMap(
      ([name, password]) => ['--add-scram', `SCRAM-SHA-512=[name=${name},password=${password}]`],
    );
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
        ...scram,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const log4j = path.join(this.dir, 'log4j2.yaml');
    fs.writeFileSync(
      log4j,
      `Configuration:\n  Appenders:\n    File: { name: f, fileName: "${this.dir}/logs/server.log", PatternLayout: { pattern: "[%d] %p %m (%c)%n" } }\n  Loggers:\n    Root: { level: INFO, AppenderRef: [{ ref: f }] }\n`,
    );
    this.process.start(java, [
      '-Xms128m',
      '-Xmx512m',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      config,
    ]);
    const healthy = await waitFor(() => this.healthy(), 90_000);
    if (!healthy)
      throw new Error(`secure Kafka did not start. Last lines:\n${this.process.tail(40)}`);
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  bootstrap(listener: 'sasl' | 'saslSsl' = 'sasl'): string {
    return `127.0.0.1:${this.ports[listener]}`;
  }

  password(user: string): string {
    const password = this.passwords.get(user);
    if (!password) throw new Error(`no user ${user} on the secure broker`);
    return password;
  }

  /** A kafkajs client of the super user, for set-up and for looking at what was written. */
  superClient(): Kafka {
    return new Kafka({
      clientId: 'troupe-test-admin',
      brokers: [this.bootstrap()],
      sasl: { mechanism: 'scram-sha-512', username: SUPER_USER, password: this.superPassword },
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
  }

  private async healthy(): Promise<boolean> {
    const admin: Admin = new Kafka({
      clientId: 'troupe-test-health',
      brokers: [this.bootstrap()],
      sasl: { mechanism: 'scram-sha-512', username: SUPER_USER, password: this.superPassword },
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private serverProperties(): string {
    const { sasl, controller, saslSsl } = this.ports;
    const scramLogin = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${SUPER_USER}" password="${this.superPassword}";`;
    const tls = this.certificates!;
    return [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
      `listeners=SASL_PLAINTEXT://127.0.0.1:${sasl},CONTROLLER://127.0.0.1:${controller},SASL_SSL://127.0.0.1:${saslSsl}`,
      `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${sasl},SASL_SSL://127.0.0.1:${saslSsl}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SASL_PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
      'sasl.mechanism.controller.protocol=PLAIN',
      'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
      `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${SUPER_USER}" password="${this.superPassword}" user_${SUPER_USER}="${this.superPassword}";`,
      `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${scramLogin}`,
      `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scramLogin}`,
      'listener.name.sasl_ssl.ssl.keystore.type=PKCS12',
      `listener.name.sasl_ssl.ssl.keystore.location=${tls.keystoreFile}`,
      `listener.name.sasl_ssl.ssl.keystore.password=${tls.keystorePassword}`,
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      `super.users=User:${SUPER_USER}`,
      'allow.everyone.if.no.acl.found=false',
      `log.dirs=${path.join(this.dir, 'data')}`,
      ...Object.entries(BROKER_SETTINGS).map(([key, value]) => `${key}=${value}`),
      '',
    ].join('\n');
  }
}
