import { createTestDataSource, uniqueName, waitFor } from '@troupe/testing';
import { CompensationProcess, Db, effects, skipToEnd, startEffectsService, tickEvent } from '../support/compensation-harness';
import { RunningService, startService } from '../support/service-harness';

interface Report {
  gaps: Array<{ group: string; topic: string; producer: string; eventType: string; missing: number; eventIds: string[]; givenUp: string[] }>;
  replays: Array<{ jobId: string; events: number }>;
  errors: unknown[];
}

/** Gap detection: an event a group skipped (its offsets moved past it) is found, then replayed automatically. */
describe('compensation: gap detection', () => {
  const topic = uniqueName('it.gaps.events');
  const Tick = tickEvent(topic);
  const group = uniqueName('it-gaps');
  const producerName = uniqueName('it-gaps-producer');
  let producerDb: Db;
  let db: Db;
  let producer: RunningService;
  let service: RunningService;
  let compensation: CompensationProcess | undefined;
  let compensationDb: Db;
  let n = 0;

  const publish = (count: number) =>
    producerDb.transaction((tx) =>
      producer.outbox.addAll(tx, Array.from({ length: count }, () => ({ event: Tick.of({ tickId: `g-${++n}`, n }) }))),
    );
  const start = (port?: number) => startEffectsService({ Tick, group, db, reapplicable: false, factor: { value: 1 }, port });
  const gapSettings = { GAP_WINDOW_MS: '600000', GAP_GRACE_MS: '1000' };

  beforeAll(async () => {
    producerDb = await createTestDataSource({ poolSize: 3 });
    db = await createTestDataSource({ poolSize: 4 });
    producer = await startService({
      service: producerName,
      dataSource: producerDb,
      troupe: { publishes: [Tick], topics: { partitions: 2 }, relay: { pollIntervalMs: 100 } },
    });
    service = await start();
    await publish(2);
    await waitFor('the first 2', async () => (await effects(db)).length === 2, 60_000);
    await service.stop();
    await publish(3); // the group never sees these
    await skipToEnd(group, topic);
    service = await start(Number(new URL(service.url!).port));
    await publish(1);
    await waitFor('the one after the gap', async () => (await effects(db)).length === 3, 60_000);
  }, 180_000);

  afterAll(async () => {
    await compensation?.stop();
    await service?.stop();
    await producer?.stop();
    for (const d of [producerDb, db, compensationDb]) await d?.drop();
  });

  it('finds the events a group skipped, per producer, with a metric', async () => {
    ({ app: compensation, db: compensationDb } = await CompensationProcess.create({ [group]: service.url! }, gapSettings));
    await new Promise((r) => setTimeout(r, 1000)); // past the grace period of the last event
    const { status, body } = await compensation.call<Report>('GET', '/gaps');
    expect(status).toBe(200);
    expect(body.errors).toEqual([]);
    expect(body.gaps).toEqual([
      expect.objectContaining({ group, topic, producer: producerName, eventType: Tick.eventType, missing: 3, givenUp: [] }),
    ]);
    const metrics = await (await fetch(`${compensation.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`troupe_compensation_gap_events\\{[^}]*group="${group}"[^}]*\\} 3`));
    expect((await effects(db)).length).toBe(3); // finding changes nothing
    await compensation.stop();
  });

  it('replays the gap automatically (periodic check), after which the group has every event once', async () => {
    ({ app: compensation } = await CompensationProcess.create(
      { [group]: service.url! },
      { ...gapSettings, GAP_CHECK_INTERVAL_MS: '1000', GAP_AUTO_REPLAY: 'true' },
      compensationDb,
    ));
    await waitFor('the gap to close', async () => (await effects(db)).length === 6, 90_000, 250);
    const rows = await effects(db);
    expect(rows.map((e) => [e.n, e.applications])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1]]);
    const { body } = await compensation.call<Report>('GET', '/gaps');
    expect(body.gaps).toEqual([]);
    const audit = await compensation.call<Array<Record<string, unknown>>>('GET', `/audit?group=${group}`);
    expect(audit.body).toContainEqual(expect.objectContaining({ actor: 'gap-detector', action: 'replay', outcome: 'done' }));
  });
});
