import { ClusterAdmin, KafkajsTransport, Subscription } from '@troupe/messaging';
import { testInfra, uniqueName, waitFor } from '@troupe/testing';
import { deleteFromBroker } from '../support/broker-cleanup';

/** The cluster admin port on kafkajs against the real broker: what the lag exporter and replay rely on. */
describe('cluster admin (kafkajs)', () => {
  const transport = new KafkajsTransport({
    brokers: testInfra.kafkaBrokers(),
    log: (level, message) =>
      level === 'error' && process.stderr.write(`[cluster-admin] ${message}\n`),
  });
  const topic = uniqueName('it.admin.events');
  const group = uniqueName('it-admin');
  let admin: ClusterAdmin;
  let subscription: Subscription | undefined;
  let handled = 0;

  beforeAll(async () => {
    admin = transport.admin();
    await transport.ensureTopics([{ topic, partitions: 2 }]);
    const publisher = await transport.publisher();
    await publisher.publish(
      Array.from({ length: 10 }, (_, i) => ({
        topic,
        key: `k${i}`,
        value: Buffer.from(`m${i}`),
        headers: {},
      })),
    );
    subscription = await transport.subscribe(
      { group, topics: [topic], fromBeginning: true, partitionConcurrency: 2 },
      async (batch) => {
        for (const message of batch.messages) {
          batch.markDone(message);
          handled++;
        }
        await batch.commit();
      },
    );
    await waitFor('the group to consume all 10', () => handled >= 10, 60_000);
  });

  afterAll(async () => {
    await subscription?.stop();
    await deleteFromBroker({ topics: [topic], groups: [group] });
    await transport.close();
  });

  it('describes the cluster: the broker and the topic with its partitions, leaders and replicas', async () => {
    const { brokers, topics } = await admin.describeCluster();
    expect(brokers).toHaveLength(1);
    const mine = topics.find((t) => t.topic === topic)!;
    expect(mine.partitions.map((p) => p.partition).sort()).toEqual([0, 1]);
    for (const p of mine.partitions)
      expect({ leader: p.leader, replicas: p.replicas, isr: p.isr }).toEqual({
        leader: brokers[0].nodeId,
        replicas: [brokers[0].nodeId],
        isr: [brokers[0].nodeId],
      });
  });

  it("reads a topic's log start and end offsets", async () => {
    const offsets = await admin.topicOffsets(topic);
    expect(offsets.map((o) => o.earliest)).toEqual(['0', '0']);
    expect(offsets.reduce((sum, o) => sum + Number(o.latest), 0)).toBe(10);
  });

  it('lists and describes the group with its member and the member’s assignment', async () => {
    expect((await admin.listGroups()).map((g) => g.group)).toContain(group);
    const [description] = await admin.describeGroups([group]);
    expect(description.state).toBe('Stable');
    expect(description.members).toHaveLength(1);
    expect(description.members[0].assignment[topic]?.sort()).toEqual([0, 1]);
  });

  it('reads everything a group committed in one offset-fetch request', async () => {
    await waitFor(
      'commits to reach the end',
      async () =>
        (await admin.committedOffsets(group)).reduce((sum, c) => sum + Number(c.offset), 0) === 10,
      30_000,
      250,
    );
    const before = admin.requestCounts().OffsetFetch ?? 0;
    const committed = await admin.committedOffsets(group);
    expect((admin.requestCounts().OffsetFetch ?? 0) - before).toBe(1);
    const ends = new Map((await admin.topicOffsets(topic)).map((o) => [o.partition, o.latest]));
    expect(
      committed
        .filter((c) => c.topic === topic)
        .map((c) => [c.partition, c.offset])
        .sort(),
    ).toEqual([...ends].sort());
  });

  it('answers offsets for a time from the time index', async () => {
    const ends = (await admin.topicOffsets(topic)).map((o) => o.latest);
    expect((await admin.offsetsAtTime(topic, Date.now() + 3_600_000)).map((o) => o.offset)).toEqual(
      ends,
    );
    expect((await admin.offsetsAtTime(topic, 0)).map((o) => o.offset)).toEqual(['0', '0']);
  });

  it('refuses to delete a group with members, and deletes it once they are gone', async () => {
    expect(await admin.deleteGroups([group])).toEqual([{ group, reason: 'NON_EMPTY_GROUP' }]);
    await subscription!.stop();
    subscription = undefined;
    await waitFor(
      'the group to be empty',
      async () => (await admin.describeGroups([group]))[0].state === 'Empty',
      30_000,
      250,
    );
    expect(await admin.deleteGroups([group])).toEqual([]);
    expect((await admin.listGroups()).map((g) => g.group)).not.toContain(group);
  });
});
