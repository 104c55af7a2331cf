import { NonRetriableError } from '@troupe/messaging';
import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import { CompensationProcess, Db, effects, startEffectsService, tickEvent, troupe } from '../support/compensation-harness';
import { RunningService, startService } from '../support/service-harness';

interface Listing {
  total: number;
  byCodeAndType: Array<{ errorCode: string; eventType: string; count: number; redriven: number; quarantined: number }>;
  deadLetters: Array<Record<string, unknown> & { eventId: string; state: string; redriveCount: number; errorCode: string }>;
}

/** Dead letters of one group: listed decoded, redriven to that group (dry run first), audited, quarantined past the limit. */
describe('compensation: dead-letter redrive', () => {
  const topic = uniqueName('it.redrive.events');
  const Tick = tickEvent(topic);
  const group = uniqueName('it-redrive');
  const broken = new Set<string>();
  let producerDb: Db;
  let db: Db;
  let producer: RunningService;
  let service: RunningService;
  let compensation: CompensationProcess;
  let compensationDb: Db;

  const publish = (...ticks: Array<{ tickId: string; n: number }>) =>
    producerDb.transaction((tx) => producer.outbox.addAll(tx, ticks.map((t) => ({ event: Tick.of(t) }))));
  const listing = async () => (await compensation.call<Listing>('GET', `/dead-letters?group=${group}`)).body;

  beforeAll(async () => {
    producerDb = await createTestDataSource({ poolSize: 3 });
    db = await createTestDataSource({ poolSize: 4 });
    producer = await startService({
      service: uniqueName('it-redrive-producer'),
      dataSource: producerDb,
      troupe: { publishes: [Tick], topics: { partitions: 2 }, relay: { pollIntervalMs: 100 } },
    });
    service = await startEffectsService({
      Tick,
      group,
      db,
      reapplicable: false,
      factor: { value: 1 },
      fail: (tickId) =>
        tickId.startsWith('poison')
          ? new NonRetriableError('this tick can never be handled', { code: 'tick.poison' })
          : broken.has(tickId)
            ? new NonRetriableError(`tick ${tickId} hit the bug`, { code: 'tick.broken' })
            : undefined,
    });
    ({ app: compensation, db: compensationDb } = await CompensationProcess.create({ [group]: service.url! }, { REDRIVE_LIMIT: '1' }));
  }, 180_000);

  afterAll(async () => {
    await compensation?.stop();
    await service?.stop();
    await producer?.stop();
    for (const d of [producerDb, db, compensationDb]) await d?.drop();
  });

  it('lists dead letters decoded, grouped by error code and type', async () => {
    broken.add('t-2').add('t-3');
    await publish({ tickId: 't-1', n: 1 }, { tickId: 't-2', n: 2 }, { tickId: 't-3', n: 3 }, { tickId: 't-4', n: 4 }, { tickId: 'poison-1', n: 5 });
    await waitFor('3 dead letters and 2 effects', async () => (await listing()).total === 3 && (await effects(db)).length === 2, 60_000, 250);
    const list = await listing();
    expect(list.byCodeAndType).toEqual([
      { errorCode: 'tick.broken', eventType: Tick.eventType, count: 2, redriven: 0, quarantined: 0 },
      { errorCode: 'tick.poison', eventType: Tick.eventType, count: 1, redriven: 0, quarantined: 0 },
    ]);
    const poison = list.deadLetters.find((d) => d.errorCode === 'tick.poison')!;
    expect(poison).toMatchObject({
      eventType: Tick.eventType,
      key: 'poison-1',
      errorMessage: 'this tick can never be handled',
      attempts: 1,
      redriveCount: 0,
      state: 'dead',
      original: { topic, partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) },
    });
    expect(Date.parse(poison.firstFailureAt as string)).toBeLessThanOrEqual(Date.parse(poison.lastFailureAt as string));
  });

  it('redrives a selection to the group after a dry run, and audits both', async () => {
    broken.clear(); // the bug is fixed
    const dry = await compensation.call<{ byType: unknown[] }>('POST', '/redrives', { group, errorCodes: ['tick.broken'], dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.byType).toEqual([{ eventType: Tick.eventType, selected: 2, wouldRedrive: 2, wouldQuarantine: 0, alreadyApplied: 0 }]);
    expect((await effects(db)).length).toBe(2);

    const started = await compensation.call<{ job: { id: string } }>('POST', '/redrives', { group, errorCodes: ['tick.broken'] });
    expect(await compensation.finished(started.body.job.id)).toMatchObject({ status: 'done', produced: 2, quarantined: 0, kind: 'redrive' });
    await waitFor('the 2 redriven effects', async () => (await effects(db)).length === 4, 60_000);
    expect((await effects(db)).map((e) => [e.n, e.applications])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1]]);
    expect((await listing()).byCodeAndType.find((c) => c.errorCode === 'tick.broken')).toMatchObject({ count: 2, redriven: 2 });

    const audit = await compensation.call<Array<Record<string, unknown>>>('GET', `/audit?group=${group}&action=redrive`);
    expect(audit.body.slice(0, 2)).toEqual([
      expect.objectContaining({ actor: 'it-operator', outcome: 'done', jobId: started.body.job.id, selection: expect.objectContaining({ errorCodes: ['tick.broken'] }), counts: expect.objectContaining({ selected: 2, produced: 2 }) }),
      expect.objectContaining({ actor: 'it-operator', outcome: 'dry-run', jobId: null }),
    ]);
  });

  it('quarantines a dead letter redriven more than the limit instead of looping it', async () => {
    const first = await compensation.call<{ job: { id: string } }>('POST', '/redrives', { group, all: true });
    expect(await compensation.finished(first.body.job.id)).toMatchObject({ status: 'done', produced: 1, quarantined: 0 });
    // The poison tick fails again: a new dead letter, redriven once.
    await waitFor('the poison tick dead-lettered again', async () => (await listing()).total === 4, 60_000, 250);
    const again = (await listing()).deadLetters.find((d) => d.errorCode === 'tick.poison' && d.state === 'dead')!;
    expect(again.redriveCount).toBe(1);

    const dry = await compensation.call<{ byType: unknown[] }>('POST', '/redrives', { group, all: true, dryRun: true });
    expect(dry.body.byType).toEqual([{ eventType: Tick.eventType, selected: 1, wouldRedrive: 0, wouldQuarantine: 1, alreadyApplied: 0 }]);
    const second = await compensation.call<{ job: { id: string } }>('POST', '/redrives', { group, all: true });
    expect(await compensation.finished(second.body.job.id)).toMatchObject({ status: 'done', produced: 0, quarantined: 1 });
    const after = await listing();
    expect(after.total).toBe(4);
    expect(after.byCodeAndType.find((c) => c.errorCode === 'tick.poison')).toMatchObject({ count: 2, redriven: 1, quarantined: 1 });
    // Nothing is left to redrive: a further request changes nothing.
    const nothing = await compensation.call<{ detail: string }>('POST', '/redrives', { group, all: true });
    expect(nothing.status).toBe(422);
    expect((await effects(db)).length).toBe(4);
  });

  it('refuses an empty selection and an unknown group', async () => {
    const empty = await compensation.call<{ detail: string }>('POST', '/redrives', { group });
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('selection is empty');
    const unknown = await compensation.call<{ detail: string }>('GET', '/dead-letters?group=no-such-group');
    expect(unknown.status).toBe(404);
  });

  it('answers the troupe CLI: human and --json output, exit codes that mean something', async () => {
    const list = await troupe(compensation.url, ['dlq', 'list', '--group', group]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`4 dead letter(s) of group ${group}`);
    expect(list.stdout).toMatch(/tick\.poison\s+troupe\.it\.Ticked\s+2\s+1\s+1/);
    const dry = await troupe(compensation.url, ['dlq', 'redrive', '--group', group, '--all', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, group, byType: [] });
    const audit = await troupe(compensation.url, ['--json', 'audit', '--group', group]);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout).length).toBeGreaterThanOrEqual(5);
    expect(audit.stdout + audit.stderr).not.toContain('it-admin-token');

    const unknown = await troupe(compensation.url, ['replay', '--group', 'no-such-group', '--topic', topic, '--from', '-1h']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown group no-such-group');
    const noToken = await troupe(compensation.url, ['audit'], null);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('refused (401)');
    const closed = `http://127.0.0.1:${Number(process.env.TROUPE_APP_PORT_BASE ?? 3000) + 99}`; // nothing listens there
    const unreachable = await troupe(closed, ['audit']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`cannot reach the compensation app at ${closed} (ECONNREFUSED)`);
    const usage = await troupe(compensation.url, ['dlq', 'redrive']);
    expect(usage.code).toBe(2);
  });
});
