import { testInfra } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';

/**
 * Deletes what a test created on the broker: topics (their dead-letter topics included when
 * named) and consumer groups. Missing ones are fine; groups with live members are left (a
 * test should stop its consumers first).
 */
export async function deleteFromBroker(what: {
  topics?: string[];
  groups?: string[];
}): Promise<void> {
  const kafka = new Kafka({
    clientId: 'test-cleanup',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = (what.topics ?? []).filter((t) => existing.has(t));
    if (topics.length > 0)
      await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
    const known = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const groups = (what.groups ?? []).filter((g) => known.has(g));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
