/** SASL authentication; Troupe's deployments use SCRAM-SHA-512 (Strimzi's `scram-sha-512` users). */
export interface KafkaSaslOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** TLS towards the brokers. */
export interface KafkaTlsOptions {
  /** PEM certificates of the CAs that signed the brokers' certificates. Default: Node's CA store. */
  ca?: string[];
  /** Check the broker's certificate and host name. Default true; false only for local experiments. */
  rejectUnauthorized?: boolean;
}

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
  /** SASL authentication. Default: none (PLAINTEXT or SSL listeners). */
  sasl?: KafkaSaslOptions;
  /** TLS: true for the default CA store, or the CA to trust. Default: no TLS. */
  ssl?: boolean | KafkaTlsOptions;
  /** Where client warnings and errors go. Default: stderr as JSON lines. */
  log?: (
    level: 'error' | 'warn' | 'info' | 'debug',
    message: string,
    extra?: Record<string, unknown>,
  ) => void;
}
