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
 * acknowledged by all in-sync replicas (acks=all); messages with the same topic and key keep
 * their order; after a rejection the next `publish` is written exactly as sent (no state of
 * the failed one may make the broker drop or refuse it). On rejection nothing may be assumed
 * published (the relay sends the rows again, and the consumers' inbox absorbs the duplicates).
 * A rejection that sending again cannot cure is a {@link PublishRefusedError}; any other
 * rejection is transient.
 */
export interface RelayPublisher {
  publish(messages: readonly RelayMessage[]): Promise<void>;
}
