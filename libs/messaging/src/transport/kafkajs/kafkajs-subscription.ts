import { Batch, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import {
  CrashListener,
  IncomingMessage,
  PartitionBatch,
  SubscribeOptions,
  Subscription,
} from '../transport.port';
import { KafkaTransportOptions } from './kafkajs.options';

/**
 * One kafkajs consumer in one group. Offsets are resolved only when the caller marks messages
 * done and committed only when it asks, so nothing is committed before its effects are.
 * kafkajs' own restart-on-crash is off: the caller sees the crash and decides.
 */
export class KafkajsSubscription implements Subscription {
  private readonly consumer: Consumer;
  private member = false;
  private readonly crashListeners: CrashListener[] = [];
  /** A crash before anyone listened (e.g. while joining) is kept and told to the first listener. */
  private crash?: Error;

  constructor(
    kafka: Kafka,
    private readonly options: SubscribeOptions,
    transportOptions: KafkaTransportOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.group,
      allowAutoTopicCreation: false,
      sessionTimeout: transportOptions.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: transportOptions.heartbeatIntervalMs ?? 3_000,
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => (this.member = true));
    this.consumer.on(REBALANCING, () => (this.member = false));
    this.consumer.on(STOP, () => (this.member = false));
    this.consumer.on(DISCONNECT, () => (this.member = false));
    this.consumer.on(CRASH, ({ payload }) => {
      this.member = false;
      this.crash = payload.error;
      for (const listener of this.crashListeners) listener(payload.error);
    });
  }

  get group(): string {
    return this.options.group;
  }

  async start(handle: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning,
    });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionConcurrency,
      eachBatch: async ({
        batch,
        resolveOffset,
        commitOffsetsIfNecessary,
        heartbeat,
        isRunning,
        isStale,
      }) => {
        const messages = batch.messages.map((m) => toIncoming(batch, m));
        await handle({
          topic: batch.topic,
          partition: batch.partition,
          messages,
          markDone: (message) => {
            if (!isStale()) resolveOffset(message.offset);
          },
          commit: async () => {
            if (!isStale()) await commitOffsetsIfNecessary();
          },
          heartbeat,
          isActive: () => isRunning() && !isStale(),
        });
      },
    });
  }

  isMember(): boolean {
    return this.member;
  }

  onCrash(listener: CrashListener): void {
    this.crashListeners.push(listener);
    const crash = this.crash;
    if (crash) queueMicrotask(() => listener(crash));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.member = false;
  }
}

function toIncoming(batch: Batch, message: KafkaMessage): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    value: message.value,
    headers,
    timestamp: Number(message.timestamp),
  };
}
