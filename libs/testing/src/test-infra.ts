import { randomUUID } from 'node:crypto';

/**
 * Where the real infrastructure listens during a test run. test/infra.global-setup.ts sets
 * these after bringing the stack up; the defaults match `npm run infra:up`.
 */
export const testInfra = {
  kafkaBrokers: (): string[] => (process.env.TROUPE_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  schemaRegistryUrl: (): string => process.env.TROUPE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  /** An admin (superuser) connection string to the PostgreSQL server. */
  adminDatabaseUrl: (): string => process.env.TROUPE_INFRA_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  /** The troupe database on that server. */
  databaseUrl: (): string => {
    const url = new URL(testInfra.adminDatabaseUrl());
    url.pathname = `/${process.env.TROUPE_DATABASE ?? 'troupe'}`;
    return url.toString();
  },
};

/**
 * Where uniqueName writes down the names it made, when the test environment provides the list
 * (test/support/broker-cleanup.environment.ts: after a test file it deletes every topic,
 * consumer group and registry subject whose name contains one of them).
 */
export const CREATED_NAMES_KEY = '__troupeCreatedTestNames';

/** A name no other test (or earlier run against the same broker) has used. */
export function uniqueName(prefix: string): string {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  ((globalThis as Record<string, unknown>)[CREATED_NAMES_KEY] as string[] | undefined)?.push(name);
  return name;
}
