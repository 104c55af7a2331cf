/** How Troupe reaches Kafka through kafkajs. */
export interface KafkaTransportOptions {
  /** Bootstrap servers, e.g. ['127.0.0.1:9092']. Required. */
  brokers: string[];
  /** The client id the broker sees. Default: 'troupe'. */
  clientId?: string;
  /** Consumer session timeout. Default 30000 ms. */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval. Default 3000 ms. */
  heartbeatIntervalMs?: number;
  /** Where client warnings and errors go. Default: stderr as JSON lines. */
  log?: (
    level: 'error' | 'warn' | 'info' | 'debug',
    message: string,
    extra?: Record<string, unknown>,
  ) => void;
}
