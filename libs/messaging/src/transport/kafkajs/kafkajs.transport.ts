import { Kafka, KafkaConfig, LogEntry, SASLOptions, logLevel } from 'kafkajs';
import { Publisher, SubscribeOptions, Subscription, TopicSpec, Transport, PartitionBatch } from '../transport.port';
import { KafkaTransportOptions } from './kafkajs.options';
import { KafkajsPublisher } from './kafkajs-publisher';
import { KafkajsSubscription } from './kafkajs-subscription';

/** The kafkajs implementation of the transport port. */
export class KafkajsTransport implements Transport {
  private readonly kafka: Kafka;
  /** What close() still has to end; each entry leaves the set when it is ended by its owner. */
  private readonly open = new Set<() => Promise<void>>();

  constructor(private readonly options: KafkaTransportOptions) {
    if (!options.brokers?.length) throw new Error('Kafka transport option brokers must list at least one host:port');
    const log = options.log ?? defaultLog;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'troupe',
      brokers: options.brokers,
      ...securityOf(options),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        // Bounded producer retries are deliberate: the relay must fail and back off while the
        // broker is away, and a resend after a lost ack is absorbed by the consumers' inbox.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        log(entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'info', `kafkajs ${entry.namespace}: ${message}`, extra);
      },
    });
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
          topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions })),
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
