import { EventClass } from '@troupe/schemas';
import { TopologyRefusedError } from '../errors/topology-refused.error';
import { GroupHandlers } from '../registry/handler-registry';
import { Transport } from '../transport/transport.port';
import { TopicNaming } from './topic-naming';

export interface TopicProvisionerSettings {
  /** Create missing topics (else only check that they exist). */
  create: boolean;
  partitions: number;
  retentionMs: number;
  segmentMs: number;
  /** The inbox's dedup window; 'once' groups must not be redelivered anything older. */
  inboxRetentionMs: number;
}

/**
 * The topics a service needs (what it publishes, what its groups read, each group's dead-letter
 * topic): created with Troupe's settings, or, where the cluster declares topics itself, checked
 * to exist. Then the inbox window is checked against what the 'once' groups' topics keep: a
 * message that outlives its inbox row would be applied twice if it were delivered again.
 */
export class TopicProvisioner {
  constructor(
    private readonly transport: Transport,
    private readonly naming: TopicNaming,
    private readonly settings: TopicProvisionerSettings,
    private readonly log: (message: string) => void,
  ) {}

  async provision(publishes: readonly EventClass[], groups: readonly GroupHandlers[]): Promise<void> {
    const events = new Set([...publishes.map((e) => this.naming.eventTopic(e)), ...groups.flatMap((g) => g.topics)]);
    const deadLetters = new Set(groups.map((g) => this.naming.deadLetterTopic(g.group)));
    const needed = [...events, ...deadLetters];
    const { create, partitions, retentionMs, segmentMs } = this.settings;
    if (create) {
      const config = { 'retention.ms': String(retentionMs), 'segment.ms': String(segmentMs) };
      await this.transport.ensureTopics(needed.map((topic) => ({ topic, partitions, config })));
    }
    const described = await this.transport.describeTopics(needed);
    const missing = needed.filter((t) => !described.some((d) => d.topic === t));
    // Topics the service only writes may come later (the relay sets their rows aside until they
    // exist); topics its groups read, and their dead-letter topics, must be there to start.
    const read = new Set([...groups.flatMap((g) => g.topics), ...deadLetters]);
    const missingRead = missing.filter((t) => read.has(t));
    if (missingRead.length > 0) {
      const message = `topics missing on the cluster: ${missingRead.join(', ')}`;
      // Just created (by this service or a sibling starting at the same time): metadata settles
      // shortly, so start-up waits. Declared by the cluster and absent: a setting to fix.
      if (create) throw new Error(`${message} (just created; waiting for the cluster to show them)`);
      throw new TopologyRefusedError(`${message} (declare them, or let Troupe create them with topics.create)`);
    }
    if (missing.length > 0) this.log(`topics this service publishes to are missing on the cluster: ${missing.join(', ')}; their outbox rows wait (quarantined) until they exist`);
    this.checkInboxWindow(
      described.filter((d) => groups.some((g) => g.delivery === 'once' && g.topics.includes(d.topic))),
    );
  }

  private checkInboxWindow(topics: ReadonlyArray<{ topic: string; retentionMs?: number | null; segmentMs?: number | null }>): void {
    const window = this.settings.inboxRetentionMs;
    const unknown = topics.filter((t) => t.retentionMs === undefined).map((t) => t.topic);
    if (unknown.length > 0) {
      this.log(`cannot read the retention of ${unknown.join(', ')} (no DescribeConfigs ACL): the inbox window is not checked against them`);
    }
    for (const { topic, retentionMs, segmentMs } of topics) {
      if (retentionMs === undefined) continue;
      const keeps = retentionMs === null ? Infinity : retentionMs + (segmentMs ?? 0);
      if (keeps > window) {
        const kept = keeps === Infinity ? 'forever (retention.ms -1)' : `up to ${Math.round(keeps / 3600_000)} h (retention.ms + segment.ms)`;
        throw new TopologyRefusedError(
          `topic ${topic} keeps messages ${kept}, longer than the inbox remembers them (consumer.inboxRetentionMs = ${Math.round(window / 3600_000)} h): ` +
            'a redelivery after that would be applied twice. Raise consumer.inboxRetentionMs (INBOX_RETENTION_MS) or lower the topic\'s retention.ms/segment.ms.',
        );
      }
    }
    if (topics.length > unknown.length) this.log(`inbox window ${Math.round(window / 3600_000)} h covers the retention of ${topics.length} consumed topic(s)`);
  }
}
