import { TaskService } from '@troupe/tasks';
import { waitFor } from '@troupe/testing';
import { ChildProcess } from 'node:child_process';
import { DomainApp } from '../support/domain-harness';
import {
  TasksSandbox,
  deleteBrokerResources,
  kill,
  spawnTasksWorker,
  startTasksApp,
  tasksSandbox,
} from '../support/tasks-harness';

/**
 * A worker replica (the real app, TASKS_ROLE=worker, its own process) is killed with SIGKILL
 * in the middle of an e-mail batch: after its lease the task runs again on another replica,
 * resumes from its checkpoint, and every recipient gets the e-mail exactly once.
 */
describe('a worker killed mid-task', () => {
  let config: TasksSandbox;
  let web: DomainApp;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    config = await tasksSandbox({
      TASK_LEASE_MS: '1500',
      EMAIL_RATE_PER_SECOND: '5',
      EMAIL_SEND_LATENCY_MS: '0',
      WORKER_POLL_INTERVAL_MS: '200',
    });
    web = await startTasksApp(Object.assign(Object.create(config), { TASKS_ROLE: 'web' }));
  });

  afterAll(async () => {
    for (const child of children) await kill(child);
    await web?.stop();
    if (config) await deleteBrokerResources(config);
    await config?.dropSchema();
  });

  it('retries the task after its lease, and its effect happens once', async () => {
    const first = await spawnTasksWorker(config);
    children.push(first);
    const tasks = web.app.get(TaskService);
    const recipients = Array.from({ length: 12 }, (_, i) => `crash${i}@example.com`);
    const submitted = await tasks.submit({
      type: 'email-batch',
      payload: { subject: 'Statement', body: 'Yours', recipients },
    });
    if (submitted.kind !== 'accepted') throw new Error(JSON.stringify(submitted));
    const id = submitted.task.id;

    // Rate-limited to 5 e-mails/s: the batch takes over 2 s, so it is mid-way here.
    await waitFor(
      'a few e-mails sent',
      async () => {
        const task = await tasks.get(id);
        return task?.status === 'RUNNING' && (task.progress?.percent ?? 0) >= 25;
      },
      60_000,
      50,
    );
    await kill(first, 'SIGKILL');
    const sentByFirst = await sentCount(id);
    expect(sentByFirst).toBeGreaterThan(0);
    expect(sentByFirst).toBeLessThan(recipients.length);
    expect((await tasks.get(id))?.status).toBe('RUNNING'); // nobody knows yet: the lease has not expired

    const second = await spawnTasksWorker(config);
    children.push(second);
    const done = await waitFor(
      'the task SUCCEEDED on the second worker',
      async () => {
        const task = await tasks.get(id);
        return task?.status === 'SUCCEEDED' ? task : undefined;
      },
      90_000,
      100,
    );

    expect(done.attempts).toBe(2);
    expect(done.history.map((h) => h.outcome)).toEqual(['lease-expired', 'succeeded']);
    expect(done.history[0].error).toMatch(/lease expired/);
    expect(done.history[0].worker).not.toBe(done.history[1].worker);
    const result = done.result as { sent: number; resumedFrom: number };
    expect(result.sent).toBe(recipients.length);
    expect(result.resumedFrom).toBeGreaterThan(0); // the retry did not start from the beginning

    const sent = await web.dataSource.query(
      'SELECT recipient, count(*)::int AS n FROM sent_emails WHERE task_id = $1 GROUP BY recipient ORDER BY recipient',
      [id],
    );
    expect(sent.map((r: { recipient: string }) => r.recipient)).toEqual([...recipients].sort());
    expect(sent.every((r: { n: number }) => r.n === 1)).toBe(true);
    const events = await web.dataSource.query(
      "SELECT count(*)::int AS n FROM outbox WHERE key = $1 AND event_type = 'troupe.tasks.TaskSucceeded'",
      [id],
    );
    expect(events[0].n).toBe(1);
  });

  const sentCount = async (taskId: string) =>
    (
      await web.dataSource.query('SELECT count(*)::int AS n FROM sent_emails WHERE task_id = $1', [
        taskId,
      ])
    )[0].n as number;
});
