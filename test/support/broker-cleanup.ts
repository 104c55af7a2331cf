import { Kafka, logLevel } from 'kafkajs';
import { testInfra } from '@troupe/testing';

/** Deletes what a test created on the broker; what is already gone is fine. */
export async function deleteFromBroker(options: {
  topics?: string[];
  groups?: string[];
}): Promise<void> {
  const admin = new Kafka({
    clientId: 'troupe-test-cleanup',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = (options.topics ?? []).filter((t) => existing.has(t));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const groups = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const wanted = (options.groups ?? []).filter((g) => groups.has(g));
    if (wanted.length > 0) await admin.deleteGroups(wanted).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
