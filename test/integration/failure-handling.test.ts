import { Injectable } from '@nestjs/common';
import { EventContext, NonRetriableError, OnEvent } from '@troupe/messaging';
import { DEAD_LETTER_HEADER, HEADER, topicNames } from '@troupe/schemas';
import {
  createTestDataSource,
  defineTestEvent,
  testInfra,
  uniqueName,
  waitFor,
} from '@troupe/testing';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { RunningService, startService } from '../support/service-harness';
import { readTopic } from '../support/topic-reader';

type Db = Awaited<ReturnType<typeof createTestDataSource>>;

/** Retries, parking, dead letters and undecodable messages, against the real broker and registry. */
describe('failure handling', () => {
  // One partition: every key shares it, so "other keys keep flowing" means something.
  const topic = uniqueName('it.job.events');
  const JobRan = defineTestEvent<{ jobId: string; step: number }>(
    topic,
    {
      type: 'record',
      name: 'JobRan',
      namespace: 'troupe.it',
      fields: [
        { name: 'jobId', type: 'string' },
        { name: 'step', type: 'int' },
      ],
    },
    'jobId',
  );
  type JobRan = InstanceType<typeof JobRan> & { jobId: string; step: number };
  const group = uniqueName('it-jobs');
  const failuresLeft = new Map<string, number>(); // `${jobId}/${step}` → failures still to throw
  const handled: Array<{ jobId: string; step: number; at: number; attempt: number }> = [];

  @Injectable()
  class Jobs {
    // Waits of 200 ms, 400 ms, … in place; from 1.6 s on, the event is parked.
    @OnEvent(JobRan, {
      group,
      retry: { maxAttempts: 4, initialDelayMs: 200, multiplier: 4, maxDelayMs: 5000 },
    })
    async ran(event: JobRan, ctx: EventContext) {
      const id = `${event.jobId}/${event.step}`;
      const left = failuresLeft.get(id) ?? 0;
      if (left === Infinity && event.jobId.startsWith('fatal'))
        throw new NonRetriableError('this job can never run', { code: 'job.invalid' });
      if (left > 0) {
        failuresLeft.set(id, left - 1);
        throw new Error(`job ${id} failed (${left} failure(s) to go)`);
      }
      handled.push({ jobId: event.jobId, step: event.step, at: Date.now(), attempt: ctx.attempt });
    }
  }

  const holdGroup = uniqueName('it-jobs-hold');
  const heldHandled: Array<{ step: number }> = [];

  @Injectable()
  class HoldingJobs {
    @OnEvent(JobRan, { group: holdGroup, retry: { keyAfterDeadLetter: 'hold' } })
    async ran(event: JobRan) {
      if (!event.jobId.startsWith('held')) return;
      if (event.step === 1) throw new NonRetriableError('step 1 is broken', { code: 'job.broken' });
      heldHandled.push({ step: event.step });
    }
  }

  let db: Db;
  let consumerDb: Db;
  let sender: RunningService;
  let consumer: RunningService;

  beforeAll(async () => {
    db = await createTestDataSource();
    consumerDb = await createTestDataSource();
    sender = await startService({
      service: 'it-job-sender',
      dataSource: db,
      troupe: { publishes: [JobRan], topics: { partitions: 1 } },
    });
    consumer = await startService({
      service: 'it-jobs',
      dataSource: consumerDb,
      handlers: [Jobs, HoldingJobs],
      troupe: { relay: false, topics: { partitions: 1 }, consumer: { parkingPollIntervalMs: 100 } },
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await sender?.stop();
    await db?.drop();
    await consumerDb?.drop();
  });

  const send = (...events: Array<{ jobId: string; step: number }>) =>
    db.transaction((tx) =>
      sender.outbox.addAll(
        tx,
        events.map((e) => ({ event: JobRan.of(e) })),
      ),
    );
  const metric = async (name: string, labels: Record<string, string>) => {
    const all = await consumer.runtime.metrics.registry.getMetricsAsJSON();
    const values = all.find((m) => m.name === name)?.values ?? [];
    return values
      .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
      .reduce((sum, v) => sum + Number(v.value), 0);
  };

  it('retries an event that fails twice, then handles it once, counting two retries', async () => {
    failuresLeft.set('twice/1', 2);
    await send({ jobId: 'twice', step: 1 });
    await waitFor('the job to succeed', () => handled.some((h) => h.jobId === 'twice'));
    expect(handled.filter((h) => h.jobId === 'twice')).toEqual([
      expect.objectContaining({ attempt: 3 }),
    ]);
    expect(await metric('troupe_retries_total', { group, type: JobRan.eventType })).toBe(2);
  });

  it('dead-letters an event that always fails after maxAttempts, with the standard headers', async () => {
    failuresLeft.set('always/1', 1e9);
    const [{ id }] = await send({ jobId: 'always', step: 1 });
    const [dead] = await waitFor(
      'the dead letter',
      async () => {
        const found = await readTopic(
          topicNames.deadLetter(group),
          (m) => m.headers[HEADER.eventId] === id,
        );
        return found.length > 0 ? found : undefined;
      },
      60_000,
    );
    const h = dead.headers;
    expect(dead.key).toBe('always');
    expect(h[DEAD_LETTER_HEADER.topic]).toBe(topic);
    expect(h[DEAD_LETTER_HEADER.partition]).toBe('0');
    expect(Number(h[DEAD_LETTER_HEADER.offset])).toBeGreaterThanOrEqual(0);
    expect(h[DEAD_LETTER_HEADER.key]).toBe('always');
    expect(h[DEAD_LETTER_HEADER.group]).toBe(group);
    expect(h[DEAD_LETTER_HEADER.errorCode]).toBe('unexpected');
    expect(h[DEAD_LETTER_HEADER.errorMessage]).toMatch(/job always\/1 failed/);
    expect(h[DEAD_LETTER_HEADER.attempts]).toBe('4');
    expect(Date.parse(h[DEAD_LETTER_HEADER.lastFailureAt])).toBeGreaterThan(
      Date.parse(h[DEAD_LETTER_HEADER.firstFailureAt]),
    );
    expect(h[HEADER.eventType]).toBe(JobRan.eventType); // the original headers are kept
    expect(handled.some((x) => x.jobId === 'always')).toBe(false);
  });

  it('dead-letters a non-retriable failure at once', async () => {
    failuresLeft.set('fatal/1', Infinity);
    const [{ id }] = await send({ jobId: 'fatal', step: 1 });
    const [dead] = await waitFor('the dead letter', async () => {
      const found = await readTopic(
        topicNames.deadLetter(group),
        (m) => m.headers[HEADER.eventId] === id,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(dead.headers[DEAD_LETTER_HEADER.errorCode]).toBe('job.invalid');
    expect(dead.headers[DEAD_LETTER_HEADER.attempts]).toBe('1');
  });

  it('keeps other keys of the partition flowing while one key is parked, and handles the parked key’s later events after it, in order', async () => {
    failuresLeft.set('slow/1', 3); // 200 ms in place, then parked for ~1.6 s and ~5 s
    const started = Date.now();
    await send(
      { jobId: 'slow', step: 1 },
      { jobId: 'slow', step: 2 },
      { jobId: 'quick', step: 1 },
      { jobId: 'slow', step: 3 },
      { jobId: 'quick', step: 2 },
    );
    await waitFor('the quick key', () => handled.filter((h) => h.jobId === 'quick').length === 2);
    const quickDoneAt = Date.now();
    expect(handled.some((h) => h.jobId === 'slow')).toBe(false); // still parked
    await waitFor(
      'the parked-events gauge to show the waiting key',
      async () => (await metric('troupe_parked_events', { group })) >= 3,
    );
    await waitFor(
      'the slow key',
      () => handled.filter((h) => h.jobId === 'slow').length === 3,
      60_000,
    );
    const slow = handled.filter((h) => h.jobId === 'slow');
    expect(slow.map((h) => h.step)).toEqual([1, 2, 3]);
    expect(slow[0].attempt).toBe(4);
    expect(slow[0].at).toBeGreaterThan(quickDoneAt);
    expect(quickDoneAt - started).toBeLessThan(slow[0].at - started);
  });

  it('holds later events of a dead-lettered key when the handler asks for it, until the key is released', async () => {
    const [first] = await send(
      { jobId: 'held', step: 1 },
      { jobId: 'held', step: 2 },
      { jobId: 'held', step: 3 },
    );
    await waitFor('the dead letter of step 1', async () => {
      const found = await readTopic(
        topicNames.deadLetter(holdGroup),
        (m) => m.headers[HEADER.eventId] === first.id,
      );
      return found.length > 0 ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(heldHandled).toEqual([]); // steps 2 and 3 wait behind the held key
    expect(await consumer.runtime.releaseKey(holdGroup, topic, 'held')).toBe(1);
    await waitFor('steps 2 and 3 after the release', () => heldHandled.length === 2);
    expect(heldHandled.map((h) => h.step)).toEqual([2, 3]);
  });

  it('dead-letters undecodable messages with the reason and keeps consuming', async () => {
    const kafka = new Kafka({
      clientId: 'it-poison',
      brokers: testInfra.kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const headers = (id: string) => ({
      [HEADER.eventId]: id,
      [HEADER.eventType]: JobRan.eventType,
      [HEADER.occurredAt]: new Date().toISOString(),
    });
    const good = await sender.runtime.codec.encode(JobRan.of({ jobId: 'x', step: 1 }));
    const poison = {
      'random bytes': Buffer.from([0x7b, 0x13, 0xff, 0x02, 0x99, 0x10, 0x42]),
      'wrong magic byte': Buffer.concat([Buffer.from([1]), good.subarray(1)]),
      'unknown schema id': Buffer.concat([
        Buffer.from([0, 0x7f, 0xff, 0xff, 0x00]),
        good.subarray(5),
      ]),
    };
    const ids = Object.fromEntries(Object.keys(poison).map((name) => [name, uuidv7()]));
    await producer.send({
      topic,
      messages: Object.entries(poison).map(([name, value]) => ({
        key: 'poison',
        value,
        headers: headers(ids[name]),
      })),
    });
    await producer.send({ topic, messages: [{ key: 'no-headers', value: good }] });
    await producer.disconnect();
    await send({ jobId: 'after-poison', step: 1 });

    await waitFor('the good event after the poison', () =>
      handled.some((h) => h.jobId === 'after-poison'),
    );
    const dead = await waitFor('four dead letters', async () => {
      const found = await readTopic(
        topicNames.deadLetter(group),
        (m) => m.key === 'poison' || m.key === 'no-headers',
      );
      return found.length === 4 ? found : undefined;
    });
    const codeOf = (id: string) =>
      dead.find((m) => m.headers[HEADER.eventId] === id)?.headers[DEAD_LETTER_HEADER.errorCode];
    expect(codeOf(ids['random bytes'])).toBe('undecodable.not-confluent-framed');
    expect(codeOf(ids['wrong magic byte'])).toBe('undecodable.not-confluent-framed');
    expect(codeOf(ids['unknown schema id'])).toBe('undecodable.unknown-schema-id');
    const missing = dead.find((m) => m.key === 'no-headers')!;
    expect(missing.headers[DEAD_LETTER_HEADER.errorCode]).toBe('undecodable.missing-headers');
    expect(missing.headers[DEAD_LETTER_HEADER.errorMessage]).toMatch(/ce_id/);
  });

  it('publishes a delayed event no earlier than deliverAt and within 1 s of it, with 10,000 delayed rows pending', async () => {
    const later = new Date(Date.now() + 3600_000);
    for (let i = 0; i < 10_000; i += 1000) {
      await db.transaction((tx) =>
        sender.outbox.addAll(
          tx,
          Array.from({ length: 1000 }, (_, j) => ({
            event: JobRan.of({ jobId: `later-${i + j}`, step: 1 }),
            options: { deliverAt: later },
          })),
        ),
      );
    }
    const deliverAt = new Date(Date.now() + 3000);
    await db.transaction((tx) =>
      sender.outbox.add(tx, JobRan.of({ jobId: 'delayed', step: 1 }), { deliverAt }),
    );
    const done = await waitFor(
      'the delayed event',
      () => handled.find((h) => h.jobId === 'delayed'),
      20_000,
    );
    expect(done.at).toBeGreaterThanOrEqual(deliverAt.getTime());
    expect(done.at - deliverAt.getTime()).toBeLessThan(1000);
    expect(
      (await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n,
    ).toBe(10_000);
  });
});
