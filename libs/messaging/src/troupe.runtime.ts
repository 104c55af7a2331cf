import { TroupeMetrics, errorLogger } from '@troupe/observability';
import { OutboxRelay, OutboxWriter, ParkingLot } from '@troupe/outbox';
import { AvroCodec, EventClass, topicNames } from '@troupe/schemas';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { BatchProcessor } from './consumer/batch-processor';
import { GroupContext } from './consumer/group-context';
import { DirectApplier, InboxTransaction } from './consumer/inbox-transaction';
import { ParkingLotWorker } from './consumer/parking-lot.worker';
import { DeadLetters } from './consumer/dead-letters';
import { GroupConsumer } from './consumer/group-consumer';
import { HandlerRegistration } from './consumer/handler-registration';
import { isKafkaRefusal, isRegistryRefusal } from './lifecycle/dependency-refusals';
import { DependencyWait } from './lifecycle/dependency-wait';
import { KafkajsTransport } from './transport/kafkajs/kafkajs.transport';
import { Publisher, Transport } from './transport/transport.port';
import { ResolvedTroupeOptions, TroupeOptions, resolveTroupeOptions } from './troupe.options';

/**
 * One service's Troupe: the outbox writer and relay over its DataSource, and a consumer per
 * consumer group of its handlers. The Nest module drives this; it also runs without Nest.
 * Start-up order: topics, schemas, relay, consumers. Shutdown: consumers (finish and commit),
 * relay (finish its batch), producer. The DataSource is the caller's, closed by the caller last.
 */
export class TroupeRuntime {
  readonly options: ResolvedTroupeOptions;
  readonly metrics: TroupeMetrics;
  readonly codec: AvroCodec;
  readonly transport: Transport;
  readonly writer: OutboxWriter;
  /** Start-up's waits for Kafka and the registry (and, from TroupeExplorer, PostgreSQL). */
  readonly startup: DependencyWait;
  private readonly registrations: HandlerRegistration[] = [];
  private readonly consumers: GroupConsumer[] = [];
  private relay?: OutboxRelay;
  private publisher?: Publisher;
  private started = false;
  private launched = false;

  constructor(
    options: TroupeOptions,
    private readonly dataSource?: DataSource,
    deps: { transport?: Transport; registry?: Registry } = {},
  ) {
    this.options = resolveTroupeOptions(options);
    this.metrics = new TroupeMetrics(deps.registry);
    this.codec = new AvroCodec({ registryUrl: this.options.schemaRegistry.url, events: this.options.publishes });
    this.transport = deps.transport ?? new KafkajsTransport({ ...this.options.kafka, log: this.options.kafka.log ?? this.options.log });
    this.writer = new OutboxWriter(this.codec, this.options.service, this.options.topicPrefix);
    this.startup = new DependencyWait(this.options.log);
  }

  addHandler(registration: HandlerRegistration): void {
    if (this.started) throw new Error('handlers must be added before start()');
    const clash = this.registrations.find((r) => r.group === registration.group && r.delivery === registration.delivery && r.event.eventType === registration.event.eventType);
    if (clash) throw new Error(`${registration.name} and ${clash.name} both handle ${registration.event.eventType} in group ${registration.group}; one handler per event type and group`);
    this.registrations.push(registration);
  }

  /** The consumer group id a registration runs in: its group, or `<group>.<instanceId>` for broadcast. */
  groupIdOf(registration: Pick<HandlerRegistration, 'group' | 'delivery'>): string {
    return registration.delivery === 'broadcast' ? `${registration.group}.${this.options.instanceId}` : registration.group;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const byGroup = this.groups();
    // Waited for while unreachable; a refusal (a rejected schema, denied access) stops start-up.
    const kafka = { name: 'Kafka', address: this.options.kafka.brokers.join(',') };
    const registry = { name: 'the schema registry', address: this.options.schemaRegistry.url };
    if (this.options.topics.create) await this.startup.until(kafka, () => this.ensureTopics(byGroup), isKafkaRefusal);
    for (const type of this.options.publishes) await this.startup.until(registry, () => this.codec.schemaId(type), isRegistryRefusal);
    this.codec.know(this.registrations.map((r) => r.event));
    this.publisher = await this.startup.until(kafka, () => this.transport.publisher(), isKafkaRefusal);
    if (this.options.relay !== false && this.dataSource) {
      this.relay = new OutboxRelay(this.dataSource, this.publisher, this.metrics, this.options.relay, errorLogger(this.options.log));
      this.relay.start();
    }
    const deadLetters = new DeadLetters(this.publisher, this.metrics, this.options.topicPrefix);
    for (const [groupId, registrations] of byGroup) {
      const consumer = this.groupConsumer(groupId, registrations, deadLetters);
      await consumer.launch();
      this.consumers.push(consumer);
    }
    this.launched = true;
  }

  private groupConsumer(groupId: string, registrations: HandlerRegistration[], deadLetters: DeadLetters): GroupConsumer {
    const broadcast = registrations[0].delivery === 'broadcast';
    if (!broadcast && !this.dataSource) throw new Error(`group ${groupId}: delivery 'once' needs a DataSource for the inbox`);
    const log = errorLogger(this.options.log);
    const inbox = broadcast ? undefined : new InboxTransaction(groupId, this.dataSource!, this.writer);
    const parking = broadcast ? undefined : new ParkingLot(this.dataSource!);
    const { consumer } = this.options;
    const ctx: GroupContext = {
      group: groupId,
      declaredGroup: registrations[0].group,
      handlers: new Map(registrations.map((r) => [r.event.eventType, r])),
      codec: this.codec,
      applier: inbox ?? new DirectApplier(this.writer),
      inbox,
      parking,
      deadLetters,
      metrics: this.metrics,
      settings: {
        chunkSize: consumer.chunkSize,
        inPlaceRetryMaxDelayMs: consumer.inPlaceRetryMaxDelayMs,
        parkingPollIntervalMs: consumer.parkingPollIntervalMs,
      },
      log,
    };
    const worker = inbox && parking ? new ParkingLotWorker({ ...ctx, inbox, parking }, this.dataSource!) : undefined;
    return new GroupConsumer(
      {
        group: groupId,
        topics: [...new Set(registrations.map((r) => this.topicOf(r.event.topic)))],
        fromBeginning: !broadcast,
        partitionConcurrency: consumer.partitionConcurrency,
        restartMaxBackoffMs: consumer.restartMaxBackoffMs,
      },
      this.transport,
      new BatchProcessor(ctx),
      this.metrics,
      log,
      worker,
    );
  }

  /**
   * Lets later events of a key held after a dead letter (retry.keyAfterDeadLetter 'hold') flow
   * again. Returns the number of holds lifted.
   */
  releaseKey(group: string, topic: string, key: string): Promise<number> {
    if (!this.dataSource) throw new Error('releaseKey needs the DataSource');
    return new ParkingLot(this.dataSource).release(group, this.topicOf(topic), key);
  }

  /** Ready: started (every dependency answered), and every consumer is a member of its group. */
  isReady(): boolean {
    return this.launched && this.consumers.every((c) => c.isReady());
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

  /**
   * Graceful shutdown: consumers stop fetching, let handlers in flight finish (bounded by
   * shutdownTimeoutMs) and commit; the relay finishes its batch; the producer closes. The
   * DataSource stays open: its owner closes it last.
   */
  async stop(): Promise<void> {
    this.startup.stop();
    this.launched = false;
    const consumers = Promise.all(this.consumers.map((consumer) => consumer.stop()));
    const timedOut = await Promise.race([
      consumers.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.shutdownTimeoutMs).unref()),
    ]);
    if (timedOut) this.options.log('warn', `consumers did not stop within ${this.options.shutdownTimeoutMs} ms; uncommitted events will be redelivered`);
    this.consumers.length = 0;
    await this.relay?.stop();
    this.relay = undefined;
    await this.publisher?.close();
    this.publisher = undefined;
    await this.transport.close();
    this.started = false;
  }

  /** The physical topic of a logical one (see TroupeOptions.topicPrefix). */
  topicOf(logical: string): string {
    return `${this.options.topicPrefix}${logical}`;
  }

  private groups(): Map<string, HandlerRegistration[]> {
    const byGroup = new Map<string, HandlerRegistration[]>();
    for (const registration of this.registrations) {
      const id = this.groupIdOf(registration);
      byGroup.set(id, [...(byGroup.get(id) ?? []), registration]);
    }
    return byGroup;
  }

  private async ensureTopics(byGroup: Map<string, HandlerRegistration[]>): Promise<void> {
    const { partitions } = this.options.topics;
    const eventTopics = new Set<string>([...this.options.publishes, ...this.registrations.map((r) => r.event)].map((e: EventClass) => this.topicOf(e.topic)));
    const deadLetterTopics = new Set([...byGroup.values()].map((regs) => this.topicOf(topicNames.deadLetter(regs[0].group))));
    await this.transport.ensureTopics([...eventTopics, ...deadLetterTopics].map((topic) => ({ topic, partitions })));
  }
}
