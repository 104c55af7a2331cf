import { testInfra } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';

/** Deletes a test's own topics (those that exist), so runs leave nothing behind on the broker. */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'topic-admin',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
