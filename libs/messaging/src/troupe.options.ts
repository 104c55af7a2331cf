import { LogFunction, jsonLogger } from '@troupe/observability';
import { OutboxRelayOptions } from '@troupe/outbox';
import { EventClass } from '@troupe/schemas';
import * as os from 'node:os';
import { KafkaTransportOptions } from './transport/kafkajs/kafkajs.options';
import { Transport } from './transport/transport.port';

const DAY_MS = 24 * 3600_000;

/** Everything a service tells Troupe. Validated once at start-up by {@link resolveTroupeOptions}. */
export interface TroupeOptions {
  /** The service's name: the ce_source of its events and the default consumer group. Required. */
  service: string;
  /** Required unless `transport` is given: at least `brokers`. */
  kafka?: KafkaTransportOptions;
  /** Another Kafka client behind Troupe's transport port. Default: kafkajs, configured by `kafka`. */
  transport?: Transport;
  /** Required: the Confluent-compatible registry's base URL. */
  schemaRegistry: { url: string };
  /**
   * Events the service publishes: their schemas are registered and topics created at start-up,
   * and the outbox refuses any other event class.
   */
  publishes?: readonly EventClass[];
  topics?: {
    /** Create missing topics at start-up (production clusters usually declare them instead). Default true. */
    create?: boolean;
    /** Partitions of topics Troupe creates. Default 6. */
    partitions?: number;
    /** retention.ms of topics Troupe creates. Default 7 days. */
    retentionMs?: number;
    /** segment.ms of topics Troupe creates (a message can outlive retention by this). Default 1 day. */
    segmentMs?: number;
  };
  /** The outbox relay of this replica, or false to run none here. Default: on, with its defaults. */
  relay?: OutboxRelayOptions | false;
  consumer?: {
    /** Events applied per database transaction when all goes well. Default 100. */
    chunkSize?: number;
    /** Partitions of one group worked on at the same time. Default 4. */
    partitionConcurrency?: number;
    /**
     * A chunk's offset is committed once the chunk is done, at most this often per partition
     * (a chunk done sooner after the last commit is committed with a later one, or when this
     * much time has passed); a batch's last chunk is committed at once. After a crash at most
     * this much work, plus the chunk in flight, is delivered again (the inbox absorbs it in
     * 'once' groups). 0: every chunk on its own. Default 100 ms.
     */
    commitIntervalMs?: number;
    /** Retry waits up to this long happen in place (the partition waits); longer ones park the event. Default 1000 ms. */
    inPlaceRetryMaxDelayMs?: number;
    /** How often each group's parking lot is checked for due events. Default 500 ms. */
    parkingPollIntervalMs?: number;
    /** Longest wait before restarting a crashed consumer. Default 10000 ms. */
    restartMaxBackoffMs?: number;
    /** Longest one handler attempt may take (per handler: @OnEvent timeoutMs). Default 30000 ms. */
    handlerTimeoutMs?: number;
    /** Longest a chunk's statement waits for a row lock (another replica's inbox claim). Default 5000 ms. */
    lockTimeoutMs?: number;
    /** A group with work in flight and no progress for this long reports not ready. Default 60000 ms. */
    stuckAfterMs?: number;
    /**
     * How long inbox rows are kept: the window in which a redelivered event is recognised. Must
     * cover the retention (plus segment time) of every topic a 'once' group reads; start-up
     * checks it. Default 9 days (topics Troupe creates keep messages at most 8).
     */
    inboxRetentionMs?: number;
    /** How often expired inbox rows are deleted. Default 60000 ms. */
    inboxPruneIntervalMs?: number;
  };
  /** How long stop() lets handlers in flight finish before giving up on them. Default 25000 ms. */
  shutdownTimeoutMs?: number;
  /**
   * Put before every topic name this service uses (event topics and dead-letter topics), e.g.
   * `staging.` or a test run's own namespace. Schema subjects keep the logical topic. Default ''.
   */
  topicPrefix?: string;
  /** Distinguishes replicas: broadcast groups are `<group>.<instanceId>`. Default `<hostname>-<pid>`. */
  instanceId?: string;
  /** Where Troupe logs. Default: JSON lines on stderr. */
  log?: LogFunction;
  /**
   * Bearer token of the admin endpoints TroupeModule serves under `/troupe/admin` (outbox,
   * trace, inbox look-ups). Unset: they refuse every request (403). Never logged.
   */
  adminToken?: string;
}

export interface ResolvedConsumerOptions {
  chunkSize: number;
  partitionConcurrency: number;
  commitIntervalMs: number;
  inPlaceRetryMaxDelayMs: number;
  parkingPollIntervalMs: number;
  restartMaxBackoffMs: number;
  handlerTimeoutMs: number;
  lockTimeoutMs: number;
  stuckAfterMs: number;
  inboxRetentionMs: number;
  inboxPruneIntervalMs: number;
}

export interface ResolvedTroupeOptions {
  service: string;
  kafka?: KafkaTransportOptions;
  transport?: Transport;
  schemaRegistry: { url: string };
  publishes: readonly EventClass[];
  topics: { create: boolean; partitions: number; retentionMs: number; segmentMs: number };
  relay: OutboxRelayOptions | false;
  consumer: ResolvedConsumerOptions;
  shutdownTimeoutMs: number;
  instanceId: string;
  topicPrefix: string;
  log: LogFunction;
}

const NAME = /^[a-zA-Z0-9._-]+$/;

/** Fills defaults; a missing or bad setting throws with its name. */
export function resolveTroupeOptions(options: TroupeOptions): ResolvedTroupeOptions {
  const fail = (setting: string, problem: string): never => {
    throw new Error(`Troupe option ${setting} ${problem}`);
  };
  const positive = (setting: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) fail(setting, `must be a positive number, got ${value}`);
    return value;
  };
  const nonNegative = (setting: string, value: number) => {
    if (!Number.isFinite(value) || value < 0) fail(setting, `must be 0 or a positive number, got ${value}`);
    return value;
  };
  const positiveInt = (setting: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) fail(setting, `must be a positive integer, got ${value}`);
    return value;
  };
  if (!options.service || !NAME.test(options.service)) fail('service', `must be a name of letters, digits, '.', '_' or '-', got "${options.service}"`);
  if (!options.transport) {
    const brokers = options.kafka?.brokers ?? [];
    if (brokers.length === 0) fail('kafka.brokers', 'must list at least one host:port');
    for (const broker of brokers) if (!/^[^:\s]+:\d+$/.test(broker)) fail('kafka.brokers', `has "${broker}", expected host:port`);
  }
  const sasl = options.kafka?.sasl;
  if (sasl && !['plain', 'scram-sha-256', 'scram-sha-512'].includes(sasl.mechanism)) fail('kafka.sasl.mechanism', `must be plain, scram-sha-256 or scram-sha-512, got "${sasl.mechanism}"`);
  if (sasl && (!sasl.username || !sasl.password)) fail('kafka.sasl', 'needs a username and a password');
  try {
    new URL(options.schemaRegistry?.url);
  } catch {
    fail('schemaRegistry.url', `must be a URL, got "${options.schemaRegistry?.url}"`);
  }
  const c = options.consumer ?? {};
  const consumer: ResolvedConsumerOptions = {
    chunkSize: positiveInt('consumer.chunkSize', c.chunkSize ?? 100),
    partitionConcurrency: positiveInt('consumer.partitionConcurrency', c.partitionConcurrency ?? 4),
    commitIntervalMs: nonNegative('consumer.commitIntervalMs', c.commitIntervalMs ?? 100),
    inPlaceRetryMaxDelayMs: positive('consumer.inPlaceRetryMaxDelayMs', c.inPlaceRetryMaxDelayMs ?? 1000),
    parkingPollIntervalMs: positive('consumer.parkingPollIntervalMs', c.parkingPollIntervalMs ?? 500),
    restartMaxBackoffMs: positive('consumer.restartMaxBackoffMs', c.restartMaxBackoffMs ?? 10_000),
    handlerTimeoutMs: positive('consumer.handlerTimeoutMs', c.handlerTimeoutMs ?? 30_000),
    lockTimeoutMs: positiveInt('consumer.lockTimeoutMs', c.lockTimeoutMs ?? 5000),
    stuckAfterMs: positive('consumer.stuckAfterMs', c.stuckAfterMs ?? 60_000),
    inboxRetentionMs: positive('consumer.inboxRetentionMs', c.inboxRetentionMs ?? 9 * DAY_MS),
    inboxPruneIntervalMs: positive('consumer.inboxPruneIntervalMs', c.inboxPruneIntervalMs ?? 60_000),
  };
  const t = options.topics ?? {};
  const topics = {
    create: t.create ?? true,
    partitions: positiveInt('topics.partitions', t.partitions ?? 6),
    retentionMs: positiveInt('topics.retentionMs', t.retentionMs ?? 7 * DAY_MS),
    segmentMs: positiveInt('topics.segmentMs', t.segmentMs ?? DAY_MS),
  };
  const shutdownTimeoutMs = positive('shutdownTimeoutMs', options.shutdownTimeoutMs ?? 25_000);
  const instanceId = options.instanceId ?? `${os.hostname()}-${process.pid}`;
  if (!NAME.test(instanceId)) fail('instanceId', `must be a name of letters, digits, '.', '_' or '-', got "${instanceId}"`);
  const topicPrefix = options.topicPrefix ?? '';
  if (!/^[a-zA-Z0-9._-]*$/.test(topicPrefix)) fail('topicPrefix', `may hold only letters, digits, '.', '_' and '-', got "${topicPrefix}"`);
  return {
    service: options.service,
    topicPrefix,
    kafka: options.kafka && { clientId: options.service, ...options.kafka },
    transport: options.transport,
    schemaRegistry: options.schemaRegistry,
    publishes: options.publishes ?? [],
    topics,
    relay: options.relay ?? {},
    consumer,
    shutdownTimeoutMs,
    instanceId,
    log: options.log ?? jsonLogger(options.service),
  };
}
