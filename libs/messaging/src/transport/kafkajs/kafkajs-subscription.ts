import { Batch, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { CrashListener, IncomingMessage, PartitionBatch, SubscribeOptions, Subscription } from '../transport.port';
import { translateKafkaError } from './kafkajs-errors';
import { KafkaTransportOptions } from './kafkajs.options';

/** Errors by which the coordinator says the group is rebalancing (kafkajs' own isRebalancing, src/errors.js). */
const REBALANCING = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
const isRebalancing = (error: unknown) => REBALANCING.has((error as { type?: string })?.type ?? '');

/**
 * One kafkajs consumer in one group. Offsets are resolved only when the caller marks messages
 * done, and committed when it asks — explicitly, since kafkajs' commitOffsetsIfNecessary() only
 * commits once autoCommitInterval/autoCommitThreshold are reached (src/consumer/offsetManager).
 *
 * Revocation: kafkajs rebalances eagerly (every partition is revoked) but tells a batch in flight
 * nothing; isStale() only reports seeks. A heartbeat or commit answered with a rebalancing error
 * (and kafkajs' own REBALANCING event) ends the current assignment epoch: every batch begun in
 * it reports isActive() false from then on and commits nothing more. kafkajs' own
 * restart-on-crash is off: the caller sees the crash and decides.
 */
export class KafkajsSubscription implements Subscription {
  private readonly consumer: Consumer;
  private member = false;
  private readonly crashListeners: CrashListener[] = [];
  /** A crash before anyone listened (e.g. while joining) is kept and told to the first listener. */
  private crash?: Error;
  /** Incremented on every join and every rebalance seen; batches are valid within their epoch. */
  private epoch = 0;

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
    const { GROUP_JOIN, REBALANCING: REBALANCING_EVENT, CRASH, STOP, DISCONNECT } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => {
      this.epoch++;
      this.member = true;
    });
    this.consumer.on(REBALANCING_EVENT, () => this.revoked());
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
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionConcurrency,
      eachBatch: ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
        const epoch = this.epoch;
        const isActive = () => isRunning() && !isStale() && this.epoch === epoch;
        let done: string | undefined;
        return handle({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => toIncoming(batch, m)),
          assignmentEpoch: epoch,
          markDone: (message) => {
            if (!isActive()) return;
            resolveOffset(message.offset);
            done = message.offset;
          },
          commit: async () => {
            if (!isActive() || done === undefined) return;
            const offset = (BigInt(done) + 1n).toString();
            try {
              await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }] });
            } catch (error) {
              if (isRebalancing(error)) return this.revoked(epoch);
              throw translateKafkaError(error);
            }
          },
          heartbeat: async () => {
            try {
              await heartbeat();
            } catch (error) {
              if (isRebalancing(error)) return this.revoked(epoch);
              throw translateKafkaError(error);
            }
          },
          isActive,
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

  pause(topics: readonly string[]): void {
    this.consumer.pause(topics.map((topic) => ({ topic })));
  }

  resume(topics: readonly string[]): void {
    this.consumer.resume(topics.map((topic) => ({ topic })));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.member = false;
  }

  /** A rebalance began (seen in `epoch`, default: now): batches in flight lose their partitions. */
  private revoked(epoch = this.epoch): void {
    if (this.epoch !== epoch) return;
    this.epoch++;
    this.member = false;
  }
}

/** A kafkajs message as the port describes it (header values as UTF-8 strings). */
export function toIncoming(batch: Pick<Batch, 'topic' | 'partition'>, message: KafkaMessage): IncomingMessage {
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
