import { testInfra } from '../../libs/testing/src/test-infra';
import { Kafka, logLevel } from 'kafkajs';

/** What {@link deleteTestResources} removed. */
export interface Removed {
  topics: string[];
  groups: string[];
  subjects: string[];
}

/**
 * Deletes the topics, consumer groups and registry subjects whose names contain one of
 * `tokens` (names uniqueName made: random, so they match only what this test file created).
 * Groups that still have members are left (Kafka refuses; a process of the test is still
 * running) rather than failing the run.
 */
export async function deleteTestResources(tokens: readonly string[]): Promise<Removed> {
  const removed: Removed = { topics: [], groups: [], subjects: [] };
  if (tokens.length === 0) return removed;
  const ours = (name: string) => tokens.some((token) => name.includes(token));
  const admin = new Kafka({
    clientId: 'troupe-test-cleanup',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    removed.topics = (await admin.listTopics()).filter(ours);
    if (removed.topics.length > 0)
      await admin.deleteTopics({ topics: removed.topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(ours);
    for (const group of groups) {
      try {
        await admin.deleteGroups([group]);
        removed.groups.push(group);
      } catch {
        // still has members, or already gone
      }
    }
  } finally {
    await admin.disconnect();
  }
  removed.subjects = await deleteSubjects(ours);
  return removed;
}

/** Soft, then permanent delete (Confluent API; the registry keeps soft-deleted subjects otherwise). */
async function deleteSubjects(ours: (name: string) => boolean): Promise<string[]> {
  const registry = testInfra.schemaRegistryUrl();
  const response = await fetch(`${registry}/subjects`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) return [];
  const subjects = ((await response.json()) as string[]).filter(ours);
  for (const subject of subjects) {
    const url = `${registry}/subjects/${encodeURIComponent(subject)}`;
    await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(10_000) });
    await fetch(`${url}?permanent=true`, { method: 'DELETE', signal: AbortSignal.timeout(10_000) });
  }
  return subjects;
}

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
