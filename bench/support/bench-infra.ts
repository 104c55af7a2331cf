import { LogFunction } from '@troupe/observability';
import { testInfra } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';

/** The stack `npm run infra:up` starts; TROUPE_* environment variables override it as in tests. */
export const infra = {
  brokers: testInfra.kafkaBrokers(),
  registryUrl: testInfra.schemaRegistryUrl(),
};

/** Only warnings and errors reach the terminal: a bench's stdout is its figures. */
export const quietLog: LogFunction = (level, message, extra) => {
  if (level === 'warn' || level === 'error')
    process.stderr.write(`[${level}] ${message} ${extra ? JSON.stringify(extra) : ''}\n`);
};

export function kafkaClient(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: infra.brokers, logLevel: logLevel.WARN });
}

/** Deletes a run's topics and consumer groups so repeated runs do not pile them up on the shared broker. */
export async function deleteTopics(topics: string[], groups: string[] = []): Promise<void> {
  const admin = kafkaClient('troupe-bench-admin').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
    // A group that is already gone (or still has members) is left alone: tidying must not fail a run.
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
