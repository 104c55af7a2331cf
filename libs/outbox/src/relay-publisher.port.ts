/** One outbox row as the relay hands it to Kafka. */
export interface RelayMessage {
  topic: string;
  key: string | null;
  /** Confluent-framed Avro, exactly as written to the outbox. */
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * Where the relay sends rows. Contract: `publish` resolves only once every message is
 * acknowledged by all in-sync replicas (acks=all, idempotent producer); messages with the same
 * topic and key keep their order; on rejection nothing may be assumed published (the relay
 * sends the whole batch again, and the consumers' inbox absorbs the duplicates).
 */
export interface RelayPublisher {
  publish(messages: readonly RelayMessage[]): Promise<void>;
}
