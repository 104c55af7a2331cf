import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { OutgoingMessage, Publisher } from '../transport.port';

/** An idempotent producer (acks=all, one request in flight so retries cannot reorder). */
export class KafkajsPublisher implements Publisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
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
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    this.connected = undefined;
  }
}
