import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import {
  ADMIN,
  CompensationProcess,
  Db,
  deleteRecordsBefore,
  effects,
  skipToEnd,
  startEffectsService,
  tickEvent,
} from '../support/compensation-harness';
import { RunningService, startService } from '../support/service-harness';

/**
 * Replay to ONE group through its replay topic, against the real broker, registry and
 * PostgreSQL, with the compensation app in its own process (killed and restarted in one case).
 */
describe('compensation: replay to one group', () => {
  const topic = uniqueName('it.replay.events');
  const Tick = tickEvent(topic);
  const groupA = uniqueName('it-replay-a'); // misses a range; its handler may be re-applied
  const groupB = uniqueName('it-replay-b'); // reads the same topic, sees everything once
  const factorA = { value: 1 };
  const factorB = { value: 1 };
  let producerDb: Db;
  let aDb: Db;
  let bDb: Db;
  let producer: RunningService;
  let a: RunningService;
  let b: RunningService;
  let compensation: CompensationProcess;
  let compensationDb: Db;
  let n = 0;

  const publish = async (count: number) => {
    const ticks = Array.from({ length: count }, () => ({ tickId: `t-${++n}`, n }));
    await producerDb.transaction((tx) => producer.outbox.addAll(tx, ticks.map((t) => ({ event: Tick.of(t) }))));
    return ticks.map((t) => t.n);
  };
  const count = async (db: Db) => (await effects(db)).length;
  const startA = () =>
    startEffectsService({ Tick, group: groupA, db: aDb, reapplicable: true, factor: factorA, port: a?.url ? Number(new URL(a.url).port) : undefined });

  beforeAll(async () => {
    producerDb = await createTestDataSource({ poolSize: 3 });
    aDb = await createTestDataSource({ poolSize: 4 });
    bDb = await createTestDataSource({ poolSize: 4 });
    producer = await startService({
      service: uniqueName('it-replay-producer'),
      dataSource: producerDb,
      troupe: { publishes: [Tick], topics: { partitions: 2 }, relay: { pollIntervalMs: 100 } },
    });
    a = await startA();
    b = await startEffectsService({ Tick, group: groupB, db: bDb, reapplicable: false, factor: factorB });
    ({ app: compensation, db: compensationDb } = await CompensationProcess.create(
      { [groupA]: a.url!, [groupB]: b.url! },
      { REPLAY_BATCH_SIZE: '2' },
    ));
  }, 180_000);

  afterAll(async () => {
    await compensation?.stop();
    await a?.stop();
    await b?.stop();
    await producer?.stop();
    for (const db of [producerDb, aDb, bDb, compensationDb]) await db?.drop();
  });

  it('refuses requests without the token (401, problem+json), at the app and at a service admin route', async () => {
    const replay = await compensation.call('POST', '/replays', { group: groupA, topic, dryRun: true }, null);
    expect(replay.status).toBe(401);
    expect(replay.type).toContain('application/problem+json');
    expect((await compensation.call('GET', '/audit', undefined, 'wrong-token-0123456789')).status).toBe(401);
    const lookup = await fetch(`${a.url}/troupe/admin/inbox/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: groupA, eventIds: [] }),
    });
    expect(lookup.status).toBe(401);
  });

  it('replays a range a group missed: missing effects appear once, the rest untouched, the other group sees nothing new', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    await publish(3);
    await waitFor('both groups to handle the first 3', async () => (await count(aDb)) === 3 && (await count(bDb)) === 3, 60_000);
    await a.stop();
    const missed = await publish(4);
    await waitFor('B to handle 7', async () => (await count(bDb)) === 7, 60_000);
    await skipToEnd(groupA, topic); // A's offsets move past the 4 it never saw
    a = await startA();
    await publish(2);
    await waitFor('A to handle 3 + 2', async () => (await count(aDb)) === 5 && (await count(bDb)) === 9, 60_000);
    expect((await effects(aDb)).map((e) => e.n)).not.toEqual(expect.arrayContaining(missed.slice(0, 1)));

    const dry = await compensation.call<{ byType: unknown[] }>('POST', '/replays', { group: groupA, topic, from, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.byType).toEqual([{ eventType: Tick.eventType, selected: 9, alreadyApplied: 5, wouldApply: 4 }]);
    expect(await count(aDb)).toBe(5); // a dry run changes nothing

    const started = await compensation.call<{ job: { id: string } }>('POST', '/replays', { group: groupA, topic, from });
    expect(started.status).toBe(200);
    const job = await compensation.finished(started.body.job.id);
    expect(job).toMatchObject({ status: 'done', produced: 9, expected: 9, group: groupA, mode: 'missed' });
    await waitFor('A to have all 9', async () => (await count(aDb)) === 9, 60_000);
    const after = await effects(aDb);
    expect(after.map((e) => e.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(after.every((e) => e.applications === 1 && e.value === e.n)).toBe(true);
    // B read none of it: its effects and its inbox are as they were.
    expect((await effects(bDb)).every((e) => e.applications === 1)).toBe(true);
    expect((await bDb.query('SELECT count(*)::int AS n FROM inbox'))[0].n).toBe(9);

    const audit = await compensation.call<Array<Record<string, unknown>>>('GET', `/audit?group=${groupA}`);
    expect(audit.body.slice(0, 2)).toEqual([
      expect.objectContaining({ actor: 'it-operator', action: 'replay', outcome: 'done', jobId: job.id, counts: expect.objectContaining({ selected: 9, produced: 9 }) }),
      expect.objectContaining({ actor: 'it-operator', action: 'replay', outcome: 'dry-run', jobId: null }),
    ]);
  });

  it('reprocesses a range a buggy handler got wrong: effects right, each applied once more per replay', async () => {
    factorA.value = 10; // the bug
    const bugFrom = new Date(Date.now() - 1000).toISOString();
    const buggy = await publish(3);
    await waitFor('A to handle the buggy 3', async () => (await count(aDb)) === 12, 60_000);
    const bugTo = new Date(Date.now() + 1).toISOString();
    factorA.value = 1; // fixed
    await new Promise((r) => setTimeout(r, 10));
    await publish(1);
    await waitFor('A to handle the fixed one', async () => (await count(aDb)) === 13, 60_000);
    expect((await effects(aDb)).filter((e) => e.value !== e.n).map((e) => e.n)).toEqual(buggy);

    const refused = await compensation.call<{ detail: string }>('POST', '/replays', { group: groupB, topic, from: bugFrom, to: bugTo, mode: 'reprocess' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('reapplicable');

    const dry = await compensation.call<{ byType: unknown[] }>('POST', '/replays', { group: groupA, topic, from: bugFrom, to: bugTo, mode: 'reprocess', dryRun: true });
    expect(dry.body.byType).toEqual([{ eventType: Tick.eventType, selected: 3, alreadyApplied: 3, wouldApply: 3 }]);
    const started = await compensation.call<{ job: { id: string } }>('POST', '/replays', { group: groupA, topic, from: bugFrom, to: bugTo, mode: 'reprocess' });
    expect(await compensation.finished(started.body.job.id)).toMatchObject({ status: 'done', produced: 3 });
    await waitFor('the buggy effects to be right', async () => (await effects(aDb)).every((e) => e.value === e.n), 60_000);
    const rows = await effects(aDb);
    expect(rows.filter((e) => buggy.includes(e.n)).map((e) => e.applications)).toEqual([2, 2, 2]);
    expect(rows.filter((e) => !buggy.includes(e.n)).every((e) => e.applications === 1)).toBe(true);
  });

  it('resumes a replay after the compensation app is killed mid-way, applying nothing twice', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    await publish(30);
    await waitFor('A to handle the 30', async () => (await count(aDb)) === 43, 60_000);
    const before = new Map((await effects(aDb)).map((e) => [e.n, e.applications]));
    const started = await compensation.call<{ job: { id: string } }>('POST', '/replays', {
      group: groupA,
      topic,
      from,
      mode: 'reprocess',
      ratePerSecond: 5,
    });
    const id = started.body.job.id;
    await waitFor('the replay to be under way', async () => {
      const { body } = await compensation.call<{ produced: number }>('GET', `/replays/${id}`);
      return body.produced >= 6;
    }, 60_000, 200);
    await compensation.kill();
    const { produced } = (await compensationDb.query('SELECT produced FROM replay_job WHERE id = $1', [id]))[0];
    expect(produced).toBeLessThan(30);
    await compensation.start();
    expect(await compensation.finished(id)).toMatchObject({ status: 'done' });
    await waitFor('every replayed event applied once more', async () => {
      const rows = await effects(aDb);
      return rows.filter((e) => e.n > 13).every((e) => e.applications === before.get(e.n)! + 1);
    }, 60_000);
    await new Promise((r) => setTimeout(r, 1000)); // any late duplicate copy would have arrived by now
    const rows = await effects(aDb);
    expect(rows.filter((e) => e.n > 13).map((e) => e.applications)).toEqual(Array(30).fill(2));
    expect(rows.filter((e) => e.n <= 13).map((e) => e.applications)).toEqual(rows.filter((e) => e.n <= 13).map((e) => before.get(e.n)));
  });

  it('refuses bad input with a clear message and changes nothing (unknown group or topic, empty selection, a range the topic no longer holds)', async () => {
    const jobsBefore = (await compensationDb.query('SELECT count(*)::int AS n FROM replay_job'))[0].n;
    const unknownGroup = await compensation.call<{ detail: string }>('POST', '/replays', { group: 'no-such-group', topic, from: new Date().toISOString() });
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.body.detail).toContain('unknown group no-such-group');
    const unknownTopic = await compensation.call<{ detail: string }>('POST', '/replays', { group: groupA, topic: 'no.such.topic', from: new Date().toISOString() });
    expect(unknownTopic.status).toBe(422);
    expect(unknownTopic.body.detail).toContain('does not read topic no.such.topic');
    const empty = await compensation.call<{ detail: string }>('POST', '/replays', { group: groupA, topic });
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('selection is empty');
    const beyond = await compensation.call<{ detail: string }>('POST', '/replays', { group: groupA, topic, partitions: [{ partition: 0, from: '0', to: '999999' }] });
    expect(beyond.status).toBe(422);
    // Retention took the oldest events of partition 0: a range from before them is refused.
    await deleteRecordsBefore(topic, 0, '1');
    const gone = await compensation.call<{ detail: string }>('POST', '/replays', { group: groupA, topic, from: new Date(Date.now() - 3_600_000).toISOString() });
    expect(gone.status).toBe(422);
    expect(gone.body.detail).toContain(`topic ${topic} no longer holds all events from`);
    expect((await compensationDb.query('SELECT count(*)::int AS n FROM replay_job'))[0].n).toBe(jobsBefore);
    void ADMIN;
  });
});
