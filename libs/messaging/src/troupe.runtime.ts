import { TroupeMetrics, errorLogger } from '@troupe/observability';
import { OutboxRelay, OutboxWriter } from '@troupe/outbox';
import { AvroCodec } from '@troupe/schemas';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { DeadLetterPublisher } from './consumer/dead-letter/dead-letter.publisher';
import { GroupConsumer } from './consumer/group-consumer';
import { InboxRetention } from './consumer/inbox/inbox-retention';
import { ParkingLot } from './consumer/parking/parking-lot';
import { PartitionWorker } from './consumer/partition-worker';
import { GroupPipelineFactory } from './consumer/pipelines/group-pipeline.factory';
import { ProgressWatch } from './consumer/progress-watch';
import { TopologyRefusedError } from './errors/topology-refused.error';
import { isKafkaRefusal, isRegistryRefusal } from './lifecycle/dependency-refusals';
import { DependencyWait } from './lifecycle/dependency-wait';
import { HandlerRegistration } from './registry/handler-registration';
import { HandlerRegistry } from './registry/handler-registry';
import { TopicNaming } from './topology/topic-naming';
import { TopicProvisioner } from './topology/topic-provisioner';
import { KafkajsTransport } from './transport/kafkajs/kafkajs.transport';
import { Publisher, Transport } from './transport/transport.port';
import { ResolvedTroupeOptions, TroupeOptions, resolveTroupeOptions } from './troupe.options';

/**
 * One service's Troupe, and its lifecycle: the outbox writer and relay over its DataSource, the
 * inbox's retention, and a consumer per consumer group of its handlers. The Nest module drives
 * this; it also runs without Nest. Start-up order: handlers sealed, topics, schemas, relay,
 * consumers. Shutdown: consumers (finish and commit), relay (finish its batch), producer. The
 * DataSource is the caller's, closed by the caller last.
 */
export class TroupeRuntime {
  readonly options: ResolvedTroupeOptions;
  readonly metrics: TroupeMetrics;
  readonly codec: AvroCodec;
  readonly transport: Transport;
  readonly writer: OutboxWriter;
  readonly naming: TopicNaming;
  readonly handlers: HandlerRegistry;
  /** Start-up's waits for Kafka and the registry (and, from TroupeExplorer, PostgreSQL). */
  readonly startup: DependencyWait;
  private readonly consumers: GroupConsumer[] = [];
  private relay?: OutboxRelay;
  private retention?: InboxRetention;
  private publisher?: Publisher;
  private started = false;
  private launched = false;
  private readonly afterStartHooks: Array<() => Promise<void> | void> = [];

  constructor(
    options: TroupeOptions,
    private readonly dataSource?: DataSource,
    deps: { registry?: Registry } = {},
  ) {
    this.options = resolveTroupeOptions(options);
    const { kafka, log, consumer, topicPrefix, instanceId } = this.options;
    this.metrics = new TroupeMetrics(deps.registry);
    this.codec = new AvroCodec({ registryUrl: this.options.schemaRegistry.url, events: this.options.publishes });
    this.transport = this.options.transport ?? new KafkajsTransport({ ...kafka!, log: kafka!.log ?? log });
    this.writer = new OutboxWriter(this.codec, this.options.service, topicPrefix, this.options.publishes);
    this.naming = new TopicNaming(topicPrefix, instanceId);
    this.handlers = new HandlerRegistry(this.naming, { timeoutMs: consumer.handlerTimeoutMs });
    this.startup = new DependencyWait(log);
  }

  /**
   * Runs `hook` once start-up is through: the DataSource initialized (TroupeExplorer), Kafka,
   * the registry and the topics there, the consumers launched. For the parts of a service that
   * use those (a scheduler, a task worker, an exporter): starting them from their own bootstrap
   * hook would race a start-up that is still waiting for a dependency. A hook that throws fails
   * start-up like a refused dependency. Registered after start-up, it runs at once.
   */
  afterStart(hook: () => Promise<void> | void): Promise<void> {
    if (this.launched) return Promise.resolve(hook());
    this.afterStartHooks.push(hook);
    return Promise.resolve();
  }

  /** Adds a handler; a bad retry policy, timeout or a clash throws here, naming the handler. */
  addHandler(registration: HandlerRegistration): void {
    this.handlers.add(registration);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.handlers.seal();
    const { options, dataSource } = this;
    const log = errorLogger(options.log);
    const groups = this.handlers.groups();
    const provisioner = new TopicProvisioner(this.transport, this.naming, { ...options.topics, inboxRetentionMs: options.consumer.inboxRetentionMs }, (m) =>
      options.log('info', m),
    );
    // Waited for while unreachable; a refusal (a rejected schema, denied access) stops start-up.
    const kafka = { name: 'Kafka', address: options.kafka?.brokers.join(',') ?? 'the configured transport' };
    const registry = { name: 'the schema registry', address: options.schemaRegistry.url };
    await this.startup.until(kafka, () => provisioner.provision(options.publishes, groups), (e) => e instanceof TopologyRefusedError || isKafkaRefusal(e));
    for (const type of options.publishes) await this.startup.until(registry, () => this.codec.schemaId(type), isRegistryRefusal);
    this.codec.know(this.handlers.events());
    this.publisher = await this.startup.until(kafka, () => this.transport.publisher(), isKafkaRefusal);
    if (dataSource) {
      this.retention = new InboxRetention(dataSource, { retentionMs: options.consumer.inboxRetentionMs, intervalMs: options.consumer.inboxPruneIntervalMs }, log);
      this.retention.start();
      if (options.relay !== false) {
        this.relay = new OutboxRelay(dataSource, this.publisher, this.metrics, options.relay, log);
        this.relay.start();
      }
    }
    const pipelines = new GroupPipelineFactory({
      dataSource,
      codec: this.codec,
      writer: this.writer,
      deadLetters: new DeadLetterPublisher(this.publisher, this.naming, this.metrics, log),
      metrics: this.metrics,
      consumer: options.consumer,
      log,
    });
    const { consumer } = options;
    for (const group of groups) {
      const progress = new ProgressWatch();
      const pipeline = pipelines.create(group, progress);
      const worker = new PartitionWorker(pipeline, this.codec, { chunkSize: consumer.chunkSize, commitIntervalMs: consumer.commitIntervalMs, heartbeatIntervalMs: options.kafka?.heartbeatIntervalMs ?? 3000 }, this.metrics, progress, log);
      const groupConsumer = new GroupConsumer(
        {
          group: group.groupId,
          topics: group.topics,
          fromBeginning: group.delivery === 'once',
          partitionConcurrency: consumer.partitionConcurrency,
          restartMaxBackoffMs: consumer.restartMaxBackoffMs,
          stuckAfterMs: consumer.stuckAfterMs,
        },
        this.transport,
        worker,
        this.metrics,
        log,
        pipeline.parkingWorker,
        progress,
      );
      await groupConsumer.launch();
      this.consumers.push(groupConsumer);
    }
    for (const hook of this.afterStartHooks) await hook();
    this.launched = true;
  }

  /**
   * Lets later events of a key held after a dead letter (retry.keyAfterDeadLetter 'hold') flow
   * again. `topic` is logical (the prefix is added). Returns the number of holds lifted.
   */
  releaseKey(group: string, topic: string, key: string): Promise<number> {
    if (!this.dataSource) throw new Error('releaseKey needs the DataSource');
    return new ParkingLot(this.dataSource).release(group, this.naming.topic(topic), key);
  }

  /** Ready: started, and every consumer is a member of its group and not stuck. */
  isReady(): boolean {
    return this.launched && this.consumers.every((c) => c.isReady());
  }

  /** Consumer groups that are stuck right now (work in flight, no progress for consumer.stuckAfterMs). */
  stuckGroups(): string[] {
    return this.consumers.filter((c) => c.isStuck()).map((c) => c.group);
  }

  consumerGroups(): string[] {
    return this.consumers.map((c) => c.group);
  }

  get relayState() {
    return this.relay?.state ?? 'stopped';
  }

  /** Wakes the relay (it also wakes on NOTIFY; this saves a round trip for same-process writers). */
  wakeRelay(): void {
    this.relay?.wake();
  }

  /** The physical topic of a logical one (see TroupeOptions.topicPrefix). */
  topicOf(logical: string): string {
    return this.naming.topic(logical);
  }

  /** The consumer group id a handler of `group` runs in (broadcast groups carry the instance id). */
  groupIdOf(registration: Pick<HandlerRegistration, 'group' | 'delivery'>): string {
    return this.naming.groupId(registration.group, registration.delivery);
  }

  /**
   * Graceful shutdown: consumers stop fetching, let handlers in flight finish (bounded by
   * shutdownTimeoutMs) and commit; the relay finishes its batch; the producer closes. The
   * DataSource stays open: its owner closes it last.
   */
  async stop(): Promise<void> {
    const consumers = Promise.all(this.consumers.map((consumer) => consumer.stop()));
    const timedOut = await Promise.race([
      consumers.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.shutdownTimeoutMs).unref()),
    ]);
    if (timedOut) this.options.log('warn', `consumers did not stop within ${this.options.shutdownTimeoutMs} ms; uncommitted events will be redelivered`);
    this.consumers.length = 0;
    await this.retention?.stop();
    this.retention = undefined;
    await this.relay?.stop();
    this.relay = undefined;
    await this.publisher?.close();
    this.publisher = undefined;
    await this.transport.close();
    this.started = false;
    this.launched = false;
  }
}
