import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { jsonLogger } from '@troupe/observability';
import { TroupeOptions } from '../troupe.options';
import { KafkaSecurityEnv } from './kafka-security-env';

/**
 * Settings every Troupe service reads from its environment. Apps extend this class with their
 * own. Defaults suit `npm start` on a developer machine. Kafka authentication and TLS settings
 * (KAFKA_SASL_*, KAFKA_SSL*) are in {@link KafkaSecurityEnv}.
 */
export class PlatformEnv extends KafkaSecurityEnv {
  /** HTTP port of the service. */
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  /** Comma-separated host:port list. */
  @Matches(/^[^:,\s]+:\d+(,[^:,\s]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

  /** The service's own PostgreSQL login (its role owns its schema). */
  @IsString()
  @IsNotEmpty()
  DATABASE_URL = '';

  /** Partitions of the topics Troupe creates. */
  @IsInt()
  @Min(1)
  TOPIC_PARTITIONS: number = 6;

  /** Create missing topics at start-up. Default true; false where topics are declared (Kubernetes: KafkaTopic). */
  @IsBoolean()
  TOPIC_CREATE = true;

  /** Replica id; broadcast consumer groups are `<group>.<instance>`. Default: hostname-pid. */
  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]+$/)
  TROUPE_INSTANCE_ID?: string;

  /** Put before every topic name (e.g. `staging.`); see TroupeOptions.topicPrefix. */
  @Matches(/^[a-zA-Z0-9._-]*$/)
  TOPIC_PREFIX = '';

  /**
   * Bearer token of the service's admin routes (AdminTokenGuard), at least 16 characters. Unset:
   * the admin routes refuse every request. Never logged, not even when it is invalid.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  ADMIN_TOKEN?: string;

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  /** TroupeOptions from these settings; the service adds what it publishes. */
  troupeOptions(service: string, extra: Partial<TroupeOptions> = {}): TroupeOptions {
    return {
      service,
      kafka: { brokers: this.KAFKA_BROKERS.split(','), ...this.kafkaSecurity() },
      schemaRegistry: { url: this.SCHEMA_REGISTRY_URL },
      topics: { partitions: this.TOPIC_PARTITIONS, create: this.TOPIC_CREATE },
      instanceId: this.TROUPE_INSTANCE_ID,
      topicPrefix: this.TOPIC_PREFIX,
      log: jsonLogger(service, this.LOG_LEVEL),
      adminToken: this.ADMIN_TOKEN,
      ...extra,
    };
  }
}
