import { SchemaRejectedError } from '@troupe/schemas';
import { postgresFailureOf } from './postgres-errors';

/**
 * Which start-up failures are for good (a setting to fix, not a system to wait for). Anything
 * not listed is waited for: a system that is down, restarting or overloaded answers later.
 */

/** PostgreSQL: a wrong password or role, a missing database, a migration that fails. */
export function isPostgresRefusal(error: unknown): boolean {
  return postgresFailureOf(error) !== 'unavailable';
}

/** The registry: a schema it rejects (incompatible, malformed), or a URL that is not a registry (4xx). */
export function isRegistryRefusal(error: unknown): boolean {
  return error instanceof SchemaRejectedError;
}

/**
 * Kafka: refused credentials or permissions, or a topic it will not create as asked (kafkajs
 * puts the broker's error code name in `type`, and wraps exhausted retries around a `cause`).
 */
const KAFKA_REFUSALS =
  /SASL_AUTHENTICATION_FAILED|AUTHORIZATION_FAILED|INVALID_REPLICATION_FACTOR|INVALID_PARTITIONS|POLICY_VIOLATION|INVALID_CONFIG|INVALID_TOPIC_EXCEPTION/;

export function isKafkaRefusal(error: unknown, depth = 4): boolean {
  if (!error || typeof error !== 'object' || depth === 0) return false;
  const { type, name, cause, errors } = error as {
    type?: unknown;
    name?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof type === 'string' && KAFKA_REFUSALS.test(type)) return true;
  if (name === 'KafkaJSSASLAuthenticationError') return true;
  const inner = [cause, ...(Array.isArray(errors) ? errors : [])];
  return inner.some((e) => isKafkaRefusal(e, depth - 1));
}
