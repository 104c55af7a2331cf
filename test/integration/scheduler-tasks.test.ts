import { uniqueName, waitFor } from '@troupe/testing';
import {
  Replica,
  SchedulerDb,
  createSchedulerSchema,
  killReplica,
  startReplica,
  stopReplica,
} from '../support/scheduler-replicas';
import { deleteTopics } from '../support/topic-admin';
import { readTopic } from '../support/topic-reader';

interface AttemptRow {
  attempt: number;
  runner: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string;
  error: string | null;
}

/**
 * The task table with real replica processes on real PostgreSQL, effects published to the real
 * Kafka through the outbox: bounded retries with back-off, and takeover after a runner dies.
 */
describe('scheduler tasks', () => {
  const topic = uniqueName('it.scheduler-effect.events');
  let db: SchedulerDb & { schema: string };
  const replicas: Replica[] = [];

  beforeAll(async () => {
    db = await createSchedulerSchema();
  });

  // Each test has only its own replicas: the one that takes a task over is one of them.
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => stopReplica(r)));
  });

  afterAll(async () => {
    await db?.drop();
    await deleteTopics([topic]);
  });

  const start = async (enqueue: object[] = []) => {
    const replica = await startReplica('tasks', db.schema, {
      SCHED_TOPIC: topic,
      SCHED_ENQUEUE: JSON.stringify(enqueue),
    });
    replicas.push(replica);
    return replica;
  };
  const enqueuedId = (replica: Replica) =>
    waitFor('the task to be created', () => /enqueued ([0-9a-f-]{36})/.exec(replica.output())?.[1]);
  const task = async (id: string) => (await db.query('SELECT * FROM tasks WHERE id = $1', [id]))[0];
  const attempts = (id: string): Promise<AttemptRow[]> =>
    db.query('SELECT * FROM task_attempts WHERE task_id = $1 ORDER BY attempt', [id]);

  it('fails a task that fails every time after its maximum, one history entry per attempt, backing off between them', async () => {
    const replica = await start([{ type: 'always-fails', externalRef: uniqueName('ref') }]);
    const id = await enqueuedId(replica);
    await waitFor(
      'the task to be FAILED',
      async () => (await task(id)).status === 'FAILED',
      60_000,
      200,
    );

    const history = await attempts(id);
    expect(history.map((a) => [a.attempt, a.outcome, a.error, a.runner])).toEqual(
      [1, 2, 3, 4].map((n) => [n, 'FAILED', `boom on attempt ${n}`, replica.replica]),
    );
    // Back-off 400 ms × 2^(n-1) between the end of attempt n and the start of attempt n+1.
    for (let n = 1; n < history.length; n++) {
      const waited = history[n].started_at.getTime() - history[n - 1].finished_at!.getTime();
      expect({ after: n, waited: waited >= 400 * 2 ** (n - 1) }).toEqual({
        after: n,
        waited: true,
      });
    }
    expect(await task(id)).toMatchObject({
      status: 'FAILED',
      attempts: 4,
      max_attempts: 4,
      last_error: 'boom on attempt 4',
      lease_owner: null,
    });
    // And it stays so: longer than the longest back-off passes without another attempt.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await attempts(id)).toHaveLength(4);
    expect((await task(id)).status).toBe('FAILED');
  });

  it('hands a task whose runner was killed mid-attempt to another replica after the lease; the effect happens once', async () => {
    const first = await start([
      { type: 'effect-once', externalRef: uniqueName('kill'), data: { hangFirstAttempt: true } },
    ]);
    const id = await enqueuedId(first);
    await waitFor(
      'the first attempt to run',
      () => first.output().includes(`task-started ${id} 1`),
      30_000,
    );
    const others = await Promise.all([start(), start()]);
    const killedAt = new Date();
    await killReplica(first);

    await waitFor(
      'the task to succeed elsewhere',
      async () => (await task(id)).status === 'SUCCEEDED',
      60_000,
      200,
    );
    const history = await attempts(id);
    expect(history.map((a) => [a.attempt, a.outcome, a.runner])).toEqual([
      [1, 'LEASE_EXPIRED', first.replica],
      [2, 'SUCCEEDED', expect.stringMatching(others.map((o) => o.replica).join('|'))],
    ]);
    expect(history[0].error).toBe(`runner ${first.replica} stopped renewing its lease`);
    expect(history[1].started_at.getTime()).toBeGreaterThanOrEqual(killedAt.getTime());
    expect(await task(id)).toMatchObject({ attempts: 2, result: { doneBy: history[1].runner } });
    const effects = await db.query('SELECT * FROM task_effects WHERE task_id = $1', [id]);
    expect(effects).toEqual([{ task_id: id, attempt: 2, replica: history[1].runner }]);
    await expectOneEvent(id);
  });

  it('keeps the effect single when a stalled runner wakes up after another replica took its task over', async () => {
    const first = await start([
      { type: 'effect-once', externalRef: uniqueName('stall'), data: { hangFirstAttempt: true } },
    ]);
    const id = await enqueuedId(first);
    await waitFor(
      'the first attempt to run',
      () => first.output().includes(`task-started ${id} 1`),
      30_000,
    );
    const second = await start();
    first.kill('SIGSTOP');
    try {
      await waitFor(
        'the task to succeed on the second replica',
        async () => (await task(id)).status === 'SUCCEEDED',
        60_000,
        200,
      );
    } finally {
      first.kill('SIGCONT');
    }
    // The stalled runner finds its lease gone; the commit it then tries is fenced off.
    await waitFor(
      'the stalled runner to try its commit and be refused',
      () => first.output().includes(`succeed-refused ${id} 1 LeaseLostError`),
      30_000,
    );
    expect(first.output()).toContain('lost its lease');
    expect((await attempts(id)).map((a) => [a.attempt, a.outcome, a.runner])).toEqual([
      [1, 'LEASE_EXPIRED', first.replica],
      [2, 'SUCCEEDED', second.replica],
    ]);
    expect(
      await db.query('SELECT attempt, replica FROM task_effects WHERE task_id = $1', [id]),
    ).toEqual([{ attempt: 2, replica: second.replica }]);
    await expectOneEvent(id);
  });

  /** Exactly one outbox row and one Kafka message carry the task's effect. */
  async function expectOneEvent(taskId: string): Promise<void> {
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM outbox WHERE key = $1', [
      taskId,
    ]);
    expect(n).toBe(1);
    await waitFor(
      'the effect on Kafka',
      async () => (await readTopic(topic, (m) => m.key === taskId)).length >= 1,
      60_000,
      500,
    );
    const messages = await readTopic(topic, (m) => m.key === taskId);
    expect(messages).toHaveLength(1);
    expect(messages[0].headers['ce_source']).toBe('it-scheduler-tasks');
  }
});
