import { LogFunction, jsonLogger } from '@troupe/observability';
import { OutboxRelayOptions } from '@troupe/outbox';
import { EventClass } from '@troupe/schemas';
import * as os from 'node:os';
import { KafkaTransportOptions } from './transport/kafkajs/kafkajs.options';

/** Everything a service tells Troupe. Validated once at start-up by {@link resolveTroupeOptions}. */
export interface TroupeOptions {
  /** The service's name: the ce_source of its events and the default consumer group. Required. */
  service: string;
  /** Required: at least `brokers`. */
  kafka: KafkaTransportOptions;
  /** Required: the Confluent-compatible registry's base URL. */
  schemaRegistry: { url: string };
  /** Events the service publishes: their schemas are registered and topics created at start-up. */
  publishes?: readonly EventClass[];
  topics?: {
    /** Create missing topics at start-up (production clusters usually declare them instead). Default true. */
    create?: boolean;
    /** Partitions of topics Troupe creates. Default 6. */
    partitions?: number;
  };
  /** The outbox relay of this replica, or false to run none here. Default: on, with its defaults. */
  relay?: OutboxRelayOptions | false;
  consumer?: {
    /** Events applied per database transaction when all goes well. Default 100. */
    chunkSize?: number;
    /** Partitions of one group worked on at the same time. Default 4. */
    partitionConcurrency?: number;
    /** Retry waits up to this long happen in place (the partition waits); longer ones park the event. Default 1000 ms. */
    inPlaceRetryMaxDelayMs?: number;
    /** How often each group's parking lot is checked for due events. Default 500 ms. */
    parkingPollIntervalMs?: number;
    /** Longest wait before restarting a crashed consumer. Default 10000 ms. */
    restartMaxBackoffMs?: number;
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
}

export interface ResolvedTroupeOptions {
  service: string;
  kafka: KafkaTransportOptions;
  schemaRegistry: { url: string };
  publishes: readonly EventClass[];
  topics: { create: boolean; partitions: number };
  relay: OutboxRelayOptions | false;
  consumer: { chunkSize: number; partitionConcurrency: number; inPlaceRetryMaxDelayMs: number; parkingPollIntervalMs: number; restartMaxBackoffMs: number };
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
  if (!options.service || !NAME.test(options.service)) fail('service', `must be a name of letters, digits, '.', '_' or '-', got "${options.service}"`);
  const brokers = options.kafka?.brokers ?? [];
  if (brokers.length === 0) fail('kafka.brokers', 'must list at least one host:port');
  for (const broker of brokers) if (!/^[^:\s]+:\d+$/.test(broker)) fail('kafka.brokers', `has "${broker}", expected host:port`);
  const sasl = options.kafka?.sasl;
  if (sasl && !['plain', 'scram-sha-256', 'scram-sha-512'].includes(sasl.mechanism)) fail('kafka.sasl.mechanism', `must be plain, scram-sha-256 or scram-sha-512, got "${sasl.mechanism}"`);
  if (sasl && (!sasl.username || !sasl.password)) fail('kafka.sasl', 'needs a username and a password');
  try {
    new URL(options.schemaRegistry?.url);
  } catch {
    fail('schemaRegistry.url', `must be a URL, got "${options.schemaRegistry?.url}"`);
  }
  const partitions = options.topics?.partitions ?? 6;
  if (!Number.isInteger(partitions) || partitions < 1) fail('topics.partitions', `must be a positive integer, got ${partitions}`);
  const chunkSize = options.consumer?.chunkSize ?? 100;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) fail('consumer.chunkSize', `must be a positive integer, got ${chunkSize}`);
  const partitionConcurrency = options.consumer?.partitionConcurrency ?? 4;
  if (!Number.isInteger(partitionConcurrency) || partitionConcurrency < 1) fail('consumer.partitionConcurrency', `must be a positive integer, got ${partitionConcurrency}`);
  const positive = (setting: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) fail(setting, `must be a positive number, got ${value}`);
    return value;
  };
  const inPlaceRetryMaxDelayMs = positive('consumer.inPlaceRetryMaxDelayMs', options.consumer?.inPlaceRetryMaxDelayMs ?? 1000);
  const parkingPollIntervalMs = positive('consumer.parkingPollIntervalMs', options.consumer?.parkingPollIntervalMs ?? 500);
  const restartMaxBackoffMs = positive('consumer.restartMaxBackoffMs', options.consumer?.restartMaxBackoffMs ?? 10_000);
  const shutdownTimeoutMs = positive('shutdownTimeoutMs', options.shutdownTimeoutMs ?? 25_000);
  const instanceId = options.instanceId ?? `${os.hostname()}-${process.pid}`;
  if (!NAME.test(instanceId)) fail('instanceId', `must be a name of letters, digits, '.', '_' or '-', got "${instanceId}"`);
  const topicPrefix = options.topicPrefix ?? '';
  if (!/^[a-zA-Z0-9._-]*$/.test(topicPrefix)) fail('topicPrefix', `may hold only letters, digits, '.', '_' and '-', got "${topicPrefix}"`);
  return {
    service: options.service,
    topicPrefix,
    kafka: { clientId: options.service, ...options.kafka },
    schemaRegistry: options.schemaRegistry,
    publishes: options.publishes ?? [],
    topics: { create: options.topics?.create ?? true, partitions },
    relay: options.relay ?? {},
    consumer: { chunkSize, partitionConcurrency, inPlaceRetryMaxDelayMs, parkingPollIntervalMs, restartMaxBackoffMs },
    shutdownTimeoutMs,
    instanceId,
    log: options.log ?? jsonLogger(options.service),
  };
}
