import { PublishRefusedError } from '@troupe/outbox';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { OutgoingMessage, Publisher } from '../transport.port';
import { translateKafkaError } from './kafkajs-errors';
import { UNKNOWN_TOPIC, kafkaErrorType, refusalOf } from './kafkajs-refusal';

/**
 * A producer with acks=all and one request in flight per broker, so a retry cannot overtake
 * the request before it and per-partition order holds.
 *
 * Not idempotent, on purpose. An idempotent kafkajs producer numbers each partition's records
 * and, when a produce request fails, rolls the numbers back for every partition in it
 * (src/producer/sendMessages.js: `eosManager.updateSequence(topic, partition,
 * -entry.messages.length)` in the catch around `broker.produce`), although the broker may have
 * written some of them: one partition's error fails the whole request (the produce response
 * parse, src/protocol/requests/produce/v3/response.js, throws on the first partition error).
 * The next request to a written partition then reuses sequence numbers the broker holds: if it
 * has the same number of records it is acknowledged as a duplicate and never written (silent
 * loss), otherwise it fails with OUT_OF_ORDER_SEQUENCE_NUMBER (not retriable) on every attempt
 * until the producer is replaced. Without idempotence every request is written as sent; the
 * price is a duplicate when a request is resent after the broker wrote it, which the relay's
 * contract allows anyway (it resends rows after any failure) and the consumers' inbox absorbs.
 */
export class KafkajsPublisher implements Publisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(private readonly kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = undefined));
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await (this.connected ??= this.producer.connect().catch((error) => {
      this.connected = undefined;
      throw error;
    }));
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic);
      if (list) list.push(message);
      else byTopic.set(message.topic, [message]);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
    } catch (error) {
      throw await this.classify(error, [...byTopic.keys()]);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    this.connected = undefined;
  }

  /** A PublishRefusedError when sending again cannot help; otherwise the error as a TransportError. */
  private async classify(error: unknown, topics: string[]): Promise<unknown> {
    const refusal = refusalOf(error);
    if (refusal)
      return new PublishRefusedError(
        refusal,
        `Kafka refused the messages: ${(error as Error).message}`,
        undefined,
        { cause: error },
      );
    if (kafkaErrorType(error) !== UNKNOWN_TOPIC) return translateKafkaError(error);
    // kafkajs retried the metadata lookup already (UNKNOWN_TOPIC_OR_PARTITION is retriable); a
    // topic that is still unknown may be missing for good or be settling after a restart: ask.
    const missing = await this.missingTopics(topics);
    if (!missing?.length) return translateKafkaError(error);
    return new PublishRefusedError(
      UNKNOWN_TOPIC,
      `topic ${missing.join(', ')} does not exist`,
      missing,
      { cause: error },
    );
  }

  /** Which of `topics` the cluster does not have, or undefined if it cannot tell now. */
  private async missingTopics(topics: string[]): Promise<string[] | undefined> {
    const admin = this.kafka.admin({ retry: { retries: 2 } });
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      return topics.filter((t) => !existing.has(t));
    } catch {
      return undefined;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
