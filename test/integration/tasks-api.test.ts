import { waitFor } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import request from 'supertest';
import { DomainApp } from '../support/domain-harness';
import {
  TasksSandbox,
  deleteBrokerResources,
  startTasksApp,
  tasksSandbox,
} from '../support/tasks-harness';

/** The tasks app over HTTP against real Kafka, registry and PostgreSQL, with its own worker. */
describe('tasks API', () => {
  let config: TasksSandbox;
  let tasks: DomainApp;

  beforeAll(async () => {
    config = await tasksSandbox({
      EMAIL_RATE_PER_SECOND: '50',
      EMAIL_SEND_LATENCY_MS: '5',
      WORKER_POLL_INTERVAL_MS: '200',
    });
    tasks = await startTasksApp(config);
  });

  afterAll(async () => {
    await tasks?.stop();
    if (config) await deleteBrokerResources(config);
    await config?.dropSchema();
  });

  const report = (rows = 200_000) => ({
    type: 'report',
    payload: { title: 'Q3 sales', rows, regions: ['north', 'south', 'east'], seed: 3 },
  });
  const submit = (body: object, headers: Record<string, string> = {}) =>
    request(tasks.http).post('/tasks').set(headers).send(body);
  const get = async (id: string) =>
    (await request(tasks.http).get(`/tasks/${id}`).expect(200)).body;
  const count = async () =>
    (await tasks.dataSource.query('SELECT count(*)::int AS n FROM tasks'))[0].n as number;
  const until = (id: string, status: string) =>
    waitFor(
      `task ${id} ${status}`,
      async () => ((await get(id)).status === status ? get(id) : undefined),
      60_000,
      100,
    );

  /** The server-sent events of a task's stream, until it ends (after a final status). */
  const events = async (id: string) => {
    const response = await request(tasks.http)
      .get(`/tasks/${id}/events`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    return (response.body as string)
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) => ({
        type: /^event: (.*)$/m.exec(block)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)![1]),
      }));
  };

  it('accepts a report with 202, Location and Retry-After; it runs to SUCCEEDED with progress seen in the stream and a file', async () => {
    const response = await submit(report(2_000_000)).expect(202);
    const id = response.body.id;
    expect(response.headers.location).toBe(`/tasks/${id}`);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(response.body).toMatchObject({
      status: 'PENDING',
      type: 'report',
      priority: 'normal',
      attempts: 0,
    });

    const stream = await events(id);
    const done = await get(id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      error: null,
      progress: { percent: 100 },
    });
    expect(done.history).toEqual([expect.objectContaining({ attempt: 1, outcome: 'succeeded' })]);
    expect(done.result).toMatchObject({
      rows: 2_000_000,
      regions: 3,
      location: expect.stringMatching(new RegExp(`^file://.*${id}\\.csv$`)),
    });
    const csv = fs.readFileSync(new URL(done.result.location), 'utf8');
    expect(csv.split('\n')[0]).toBe('# Q3 sales');
    expect(csv.trim().split('\n')).toHaveLength(2 + 3);

    expect(stream[stream.length - 1]).toMatchObject({
      type: 'status',
      data: { status: 'SUCCEEDED' },
    });
    expect(stream.some((e) => e.data.status === 'RUNNING')).toBe(true);
    const percents = stream
      .filter((e) => e.data.status === 'RUNNING' && e.data.progress)
      .map((e) => e.data.progress.percent);
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    // 2,000,000 rows take well over the stream's 250 ms poll, so it sees the percent move.
    expect(stream.some((e) => e.type === 'progress')).toBe(true);
  });

  it('runs an e-mail batch within its rate limit, one e-mail per recipient', async () => {
    const recipients = Array.from({ length: 12 }, (_, i) => `r${i}@example.com`);
    const { body } = await submit({
      type: 'email-batch',
      priority: 'high',
      payload: { subject: 'Hi', body: 'Hello', recipients },
    }).expect(202);
    const done = await until(body.id, 'SUCCEEDED');
    expect(done.result).toEqual({ sent: 12, resumedFrom: 0 });
    expect(done.priority).toBe('high');
    const sent = await tasks.dataSource.query(
      'SELECT recipient FROM sent_emails WHERE task_id = $1 ORDER BY recipient',
      [body.id],
    );
    expect(sent.map((r: { recipient: string }) => r.recipient)).toEqual([...recipients].sort());
  });

  it('returns the same task for the same Idempotency-Key, and 422 when the key is reused for another task', async () => {
    const key = `key-${randomUUID()}`;
    const first = await submit(report(1000), { 'Idempotency-Key': key }).expect(202);
    const again = await submit(report(1000), { 'Idempotency-Key': key }).expect(202);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(`/tasks/${first.body.id}`);
    const stored = await tasks.dataSource.query(
      'SELECT count(*)::int AS n FROM tasks WHERE idempotency_key = $1',
      [key],
    );
    expect(stored[0].n).toBe(1);
    const other = await submit(report(2000), { 'Idempotency-Key': key }).expect(422);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('cancels a pending (delayed) task; it never runs; a finished task cannot be cancelled', async () => {
    const runAt = new Date(Date.now() + 60_000).toISOString();
    const { body, headers } = await submit({ ...report(1000), runAt }).expect(202);
    expect(Number(headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(body.runAt).toBe(runAt);
    const cancelled = await request(tasks.http).post(`/tasks/${body.id}/cancel`).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', attempts: 0 });
    await request(tasks.http).post(`/tasks/${body.id}/cancel`).expect(409);
    const stream = await events(body.id);
    expect(stream).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ status: 'CANCELLED' }) }),
    ]);
    const events_ = await tasks.dataSource.query(
      `SELECT event_type FROM outbox WHERE key = $1 ORDER BY seq`,
      [body.id],
    );
    expect(events_.map((e: { event_type: string }) => e.event_type)).toEqual([
      'troupe.tasks.TaskSubmitted',
      'troupe.tasks.TaskCancelled',
    ]);
    await request(tasks.http).post(`/tasks/${randomUUID()}/cancel`).expect(404);
  });

  it('runs a delayed task when it is due, not before', async () => {
    const runAt = new Date(Date.now() + 1500);
    const { body } = await submit({ ...report(1000), runAt: runAt.toISOString() }).expect(202);
    const done = await until(body.id, 'SUCCEEDED');
    expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(runAt.getTime());
  });

  it('lists by status and type, newest first, in pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await submit({
            ...report(1000),
            runAt: new Date(Date.now() + 600_000).toISOString(),
          }).expect(202)
        ).body.id,
      );
    const first = await request(tasks.http)
      .get('/tasks')
      .query({ status: 'PENDING', type: 'report', limit: 2 })
      .expect(200);
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
    const second = await request(tasks.http)
      .get('/tasks')
      .query({ status: 'PENDING', type: 'report', limit: 2, after: first.body.next })
      .expect(200);
    expect(second.body.items[0].id).toBe(ids[0]);
    await request(tasks.http).get('/tasks').query({ status: 'DONE' }).expect(400);
    for (const id of ids) await request(tasks.http).post(`/tasks/${id}/cancel`).expect(200);
  });

  describe('bad input: 400 problem+json naming the field, nothing stored', () => {
    const cases: Array<[string, object, string, Record<string, string>?]> = [
      ['an unknown type', { type: 'transcode', payload: {} }, 'type'],
      [
        'a payload field out of range',
        { type: 'report', payload: { title: 'x', rows: 0, regions: ['a'] } },
        'payload.rows',
      ],
      [
        'a payload field of the wrong type',
        { type: 'report', payload: { title: 'x', rows: 'many', regions: ['a'] } },
        'payload.rows',
      ],
      [
        'a missing payload field',
        { type: 'report', payload: { rows: 5, regions: ['a'] } },
        'payload.title',
      ],
      [
        'an unknown payload field',
        { type: 'report', payload: { title: 'x', rows: 5, regions: ['a'], colour: 'red' } },
        'payload.colour',
      ],
      [
        'an invalid recipient',
        {
          type: 'email-batch',
          payload: { subject: 's', body: 'b', recipients: ['not-an-address'] },
        },
        'payload.recipients',
      ],
      [
        'a NUL character in the payload',
        { type: 'report', payload: { title: 'a\u0000b', rows: 5, regions: ['a'] } },
        'payload.title',
      ],
      ['no payload', { type: 'report' }, 'payload'],
      ['a payload that is not an object', { type: 'report', payload: [1, 2] }, 'payload'],
      ['an unknown priority', { ...report(5), priority: 'urgent' }, 'priority'],
      ['a runAt too far ahead', { ...report(5), runAt: '2999-01-01T00:00:00Z' }, 'runAt'],
      ['a runAt long past', { ...report(5), runAt: '2001-01-01T00:00:00Z' }, 'runAt'],
      ['a runAt that is no date', { ...report(5), runAt: 'tomorrow' }, 'runAt'],
      ['an unknown top-level field', { ...report(5), queue: 'fast' }, 'queue'],
      [
        'an Idempotency-Key too long',
        report(5),
        'Idempotency-Key',
        { 'Idempotency-Key': 'k'.repeat(256) },
      ],
    ];
    it.each(cases)('%s', async (_what, body, field, headers = {}) => {
      const before = await count();
      const response = await submit(body, headers).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count()).toBe(before);
    });

    it('a malformed or huge body gets 4xx problem+json, never 5xx', async () => {
      const before = await count();
      const malformed = await request(tasks.http)
        .post('/tasks')
        .set('content-type', 'application/json')
        .send('{"type": "report", ');
      expect(malformed.status).toBe(400);
      const huge = await submit({
        type: 'report',
        payload: { title: 'x'.repeat(2_000_000), rows: 1, regions: ['a'] },
      });
      expect(huge.status).toBe(413);
      expect(huge.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await count()).toBe(before);
    });

    it('an unknown task id is 404; something that is not a task id is 400 naming it', async () => {
      await request(tasks.http).get(`/tasks/${randomUUID()}`).expect(404);
      await request(tasks.http).get(`/tasks/${randomUUID()}/events`).expect(404);
      const malformed = await request(tasks.http).get('/tasks/not-a-uuid').expect(400);
      expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(malformed.body.detail).toContain('id');
    });
  });
});
