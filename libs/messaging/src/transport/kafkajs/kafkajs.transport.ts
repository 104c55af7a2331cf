import { ConfigResourceTypes, Kafka, KafkaConfig, LogEntry, SASLOptions, logLevel } from 'kafkajs';
import { ClusterAdmin, ClusterAdminOptions, ClusterAdminSource } from '../cluster-admin.port';
import { PartitionBatch, Publisher, SubscribeOptions, Subscription, TopicDescription, TopicSpec, Transport } from '../transport.port';
import { KafkajsClusterAdmin } from './kafkajs-cluster-admin';
import { patchKafkajsIdleLoop } from './kafkajs-idle-loop';
import { translateKafkaError } from './kafkajs-errors';
import { KafkaTransportOptions } from './kafkajs.options';
import { KafkajsPublisher } from './kafkajs-publisher';
import { KafkajsSubscription } from './kafkajs-subscription';
import { KafkajsTopicReader } from './kafkajs-topic-reader';
import { TopicReader, TopicReaderOptions, TopicReaderSource } from '../topic-reader.port';

/** The kafkajs implementation of the transport port. */
export class KafkajsTransport implements Transport, ClusterAdminSource, TopicReaderSource {
  private readonly kafkaConfig: KafkaConfig;
  private readonly kafka: Kafka;
  /** What close() still has to end; each entry leaves the set when it is ended by its owner. */
  private readonly open = new Set<() => Promise<void>>();

  constructor(private readonly options: KafkaTransportOptions) {
    patchKafkajsIdleLoop(); // kafkajs 2.2.4 spins a 1 ms timer per idle connection (see the file)
    if (!options.brokers?.length) throw new Error('Kafka transport option brokers must list at least one host:port');
    const log = options.log ?? defaultLog;
    this.kafkaConfig = {
      clientId: options.clientId ?? 'troupe',
      brokers: options.brokers,
      ...securityOf(options),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        log(entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'info', `kafkajs ${entry.namespace}: ${message}`, extra);
      },
    };
    this.kafka = new Kafka(this.kafkaConfig);
  }

  async publisher(): Promise<Publisher> {
    const publisher = new KafkajsPublisher(this.kafka);
    const close = publisher.close.bind(publisher);
    const end = async () => {
      this.open.delete(end);
      await close();
    };
    this.open.add(end);
    publisher.close = end;
    return publisher;
  }

  async subscribe(options: SubscribeOptions, handle: (batch: PartitionBatch) => Promise<void>): Promise<Subscription> {
    const subscription = new KafkajsSubscription(this.kafka, options, this.options);
    try {
      await subscription.start(handle);
    } catch (error) {
      await subscription.stop().catch(() => undefined); // do not leave a half-started consumer behind
      throw error;
    }
    const stop = subscription.stop.bind(subscription);
    const end = async () => {
      this.open.delete(end);
      await stop();
    };
    this.open.add(end);
    subscription.stop = end;
    return subscription;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    if (topics.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length === 0) return;
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // Several services starting at once create the same topics: the losers see errors such
        // as TOPIC_ALREADY_EXISTS or UNKNOWN_TOPIC_OR_PARTITION while the winner's topic settles.
        // What matters is that the topics end up there with leaders.
        if (!(await this.topicsReady(admin, missing.map((t) => t.topic)))) throw error;
      }
    } finally {
      await admin.disconnect();
    }
  }

  async describeTopics(topics: readonly string[]): Promise<TopicDescription[]> {
    if (topics.length === 0) return [];
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length === 0) return [];
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present });
      // A client without DescribeConfigs on a topic learns its partitions but not its retention.
      const { resources } = await admin
        .describeConfigs({
          includeSynonyms: false,
          resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'segment.ms'] })),
        })
        .catch((error: { type?: string }) => {
          if (error?.type === 'TOPIC_AUTHORIZATION_FAILED' || error?.type === 'CLUSTER_AUTHORIZATION_FAILED') return { resources: [] };
          throw error;
        });
      const millis = (value: string | undefined) => (value === undefined || Number(value) < 0 ? null : Number(value));
      return present.map((topic) => {
        const resource = resources.find((r) => r.resourceName === topic && !r.errorCode);
        const value = (name: string) => resource?.configEntries.find((e) => e.configName === name)?.configValue;
        return {
          topic,
          partitions: metadata.find((m) => m.name === topic)?.partitions.length ?? 0,
          ...(resource ? { retentionMs: millis(value('retention.ms')), segmentMs: millis(value('segment.ms')) } : {}),
        };
      });
    } catch (error) {
      throw translateKafkaError(error);
    } finally {
      await admin.disconnect();
    }
  }

  private async topicsReady(admin: ReturnType<Kafka['admin']>, names: string[], timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: names });
        if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return true;
      } catch {
        // not there yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  }

  /**
   * A cluster admin on its own client. Its callers get every failure from the call itself (a
   * poller decides how loudly to report an outage), so the client's own retry chatter is logged
   * at debug level only.
   */
  admin(options: ClusterAdminOptions = {}): ClusterAdmin {
    const log = this.options.log ?? defaultLog;
    const kafka = new Kafka({
      ...this.kafkaConfig,
      clientId: options.clientId ?? this.kafkaConfig.clientId,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        log('debug', `kafkajs ${entry.namespace}: ${message}`, extra);
      },
    });
    const end = async () => {
      this.open.delete(end);
      await admin.close();
    };
    const admin = new KafkajsClusterAdmin(kafka, { retries: options.retries ?? 2 }, () => this.open.delete(end));
    this.open.add(end);
    return admin;
  }

  /** A reader of topic spans on its own client (each read joins and leaves a throwaway group). */
  reader(options: TopicReaderOptions = {}): TopicReader {
    const log = this.options.log ?? defaultLog;
    return new KafkajsTopicReader(
      new Kafka({
        ...this.kafkaConfig,
        clientId: options.clientId ?? this.kafkaConfig.clientId,
        logCreator: () => (entry: LogEntry) => log('debug', `kafkajs ${entry.namespace}: ${entry.log.message}`),
      }),
      options.groupPrefix,
    );
  }

  async close(): Promise<void> {
    for (const end of [...this.open]) await end();
  }
}

function defaultLog(level: string, message: string, extra?: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...extra })}\n`);
}

/** kafkajs' sasl and ssl settings from Troupe's (kafkajs reads `ssl: true` as Node's CA store). */
function securityOf(options: KafkaTransportOptions): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const { sasl, ssl } = options;
  const tls = typeof ssl === 'object' ? { ca: ssl.ca, rejectUnauthorized: ssl.rejectUnauthorized ?? true } : ssl;
  const withTls = tls === undefined ? {} : { ssl: tls };
  if (!sasl) return withTls;
  // Each mechanism is its own member of kafkajs' SASLOptions union, hence the switch.
  const { username, password } = sasl;
  const auth: SASLOptions =
    sasl.mechanism === 'plain'
      ? { mechanism: 'plain', username, password }
      : sasl.mechanism === 'scram-sha-256'
        ? { mechanism: 'scram-sha-256', username, password }
        : { mechanism: 'scram-sha-512', username, password };
  return { sasl: auth, ...withTls };
}
