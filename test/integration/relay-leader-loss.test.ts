import { createTestDataSource, defineTestEvent, uniqueName, waitFor } from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { testInfra } from '@troupe/testing';
import { spawnTs } from '../support/child-process';
import { startService } from '../support/service-harness';
import { readTopic } from '../support/topic-reader';

/**
 * Defect 5 of issue 8: a leader that stops answering (frozen, hung, cut off) held its
 * session-level advisory lock until TCP keepalive noticed (hours), and no standby published
 * meanwhile. Here the leader relay, a process of its own, is frozen with SIGSTOP: the server
 * ends its silent session (idle_session_timeout, relay.leaderSessionTimeoutMs, 20 s by default),
 * a standby takes over, and the old leader, resumed, finds out that it lost and stays a standby.
 */
describe('relay leader frozen', () => {
  const topic = uniqueName('it.frozen.events');
  const CrateMoved = defineTestEvent<{ crateId: string }>(
    topic,
    {
      type: 'record',
      name: 'FrozenCrateMoved',
      namespace: 'troupe.it',
      fields: [{ name: 'crateId', type: 'string' }],
    },
    'crateId',
  );

  afterAll(async () => {
    const admin = new Kafka({
      clientId: 'it-relay-leader-loss',
      brokers: testInfra.kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('loses leadership within the session timeout; a standby publishes; resumed, it does not publish as leader', async () => {
    const db = await createTestDataSource();
    const schema = (db.options as { schema: string }).schema;
    const writer = await startService({
      service: 'it-frozen-writer',
      dataSource: db,
      troupe: { publishes: [CrateMoved], relay: false },
    });
    const first = spawnTs('test/support/relay-process.ts', [schema]);
    let second: ReturnType<typeof spawnTs> | undefined;
    const lines = (p: ReturnType<typeof spawnTs>) => p.output().trim().split('\n');
    const write = async (crateId: string) =>
      (await db.transaction((tx) => writer.outbox.add(tx, CrateMoved.of({ crateId })))).id;
    const published = async (id: string) =>
      (await db.query('SELECT published_at FROM outbox WHERE id = $1', [id]))[0]?.published_at;
    try {
      await waitFor('the first relay to lead', () => lines(first).includes('leader'), 60_000);
      second = spawnTs('test/support/relay-process.ts', [schema]);
      await waitFor(
        'the second relay to stand by',
        () => lines(second!).includes('standby'),
        60_000,
      );
      const before = await write('before-freeze');
      await waitFor('the leader to publish', () => published(before));

      first.kill('SIGSTOP');
      const during = await write('during-freeze');
      // Default leaderSessionTimeoutMs is 20 s; before the fix the lock stayed held for hours.
      await waitFor('the standby to take over and publish', () => published(during), 45_000);
      await waitFor('the standby to report leadership', () => lines(second!).includes('leader'));

      first.kill('SIGCONT');
      await waitFor(
        'the resumed relay to notice it lost leadership',
        () => lines(first).at(-1) === 'standby',
        30_000,
      );
      const after = await write('after-resume');
      await waitFor('the new leader to publish', () => published(after));
      await new Promise((resolve) => setTimeout(resolve, 2000)); // rounds in which the old leader could misbehave

      expect(first.exitCode).toBeNull(); // alive, not crashed
      expect(lines(first).at(-1)).toBe('standby');
      expect(lines(second!).at(-1)).toBe('leader');
      // It was frozen while idle, so it had no rows in hand: every event is on the topic exactly once.
      const copies = await readTopic(topic);
      const count = (id: string) => copies.filter((m) => m.headers.ce_id === id).length;
      expect([before, during, after].map(count)).toEqual([1, 1, 1]);
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGKILL');
      await writer.stop();
      await db.drop();
    }
  });
});
