import { KafkajsTransport } from '@troupe/messaging';
import { testInfra, uniqueName } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';

/** Services starting together on a fresh cluster all create the same topics at once. */
describe('topic provisioning', () => {
  it('lets twelve services create the same topics concurrently, each ending with the topics ready', async () => {
    const topics = Array.from({ length: 8 }, () => uniqueName('it.race.events')).map((topic) => ({
      topic,
      partitions: 6,
    }));
    const transports = Array.from(
      { length: 12 },
      () => new KafkajsTransport({ brokers: testInfra.kafkaBrokers(), log: () => undefined }),
    );
    const results = await Promise.allSettled(transports.map((t) => t.ensureTopics(topics)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const admin = new Kafka({
      clientId: 'it-race',
      brokers: testInfra.kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
    await admin.disconnect();
    expect(metadata.topics.map((t) => t.partitions.length)).toEqual(topics.map(() => 6));
    await Promise.all(transports.map((t) => t.close()));
  });
});
