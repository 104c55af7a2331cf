import { SCHEDULER_METRIC, TaskQueue } from '@troupe/scheduling';
import { OrderCancelled } from '@troupe/schemas';
import { waitFor } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Payment } from '../../apps/payments/src/persistence/payment.entity';
import { SchedulerShop, startSchedulerShop } from '../support/scheduler-shop';

/**
 * The scheduler app in-process against the real orders and payments apps (sandboxed, over
 * HTTP on loopback) and real PostgreSQL and Kafka: its reference jobs, its admin API and its
 * metrics.
 */
describe('scheduler app', () => {
  const TOKEN = 'it-admin-token-0123456789';
  let shop: SchedulerShop;

  beforeAll(async () => {
    shop = await startSchedulerShop(TOKEN, {
      ORDER_PENDING_TIMEOUT_S: '60',
      SCHEDULER_JOB_SCHEDULES: 'deadline-monitor=* * * * * *',
      RECONCILIATION_REVIEW_DELAY_S: '5',
    });
  });

  afterAll(async () => {
    await shop?.stop();
  });

  const admin: SchedulerShop['admin'] = (...args) => shop.admin(...args);
  const seedOrder: SchedulerShop['seedOrder'] = (...args) => shop.seedOrder(...args);
  const seedPayment: SchedulerShop['seedPayment'] = (...args) => shop.seedPayment(...args);
  const taskOf: SchedulerShop['taskOf'] = (...args) => shop.taskOf(...args);
  const orderOf: SchedulerShop['orderOf'] = (...args) => shop.orderOf(...args);

  it('refuses the admin API without the right token (401 problem details)', async () => {
    for (const token of [null, 'not-the-token-at-all']) {
      const response = await admin('get', '/admin/jobs', token).expect(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(response.body)).not.toContain(TOKEN);
    }
    await admin('post', '/admin/jobs/deadline-monitor/pause', 'x'.repeat(30)).expect(401);
    await admin('post', `/admin/tasks/${randomUUID()}/retry`, null).expect(401);
  });

  it('lists the jobs with their schedules and next firing times', async () => {
    const jobs = (await admin('get', '/admin/jobs').expect(200)).body;
    expect(jobs).toEqual([
      expect.objectContaining({
        name: 'deadline-monitor',
        cron: '* * * * * *',
        zone: 'UTC',
        misfire: { policy: 'fire-once' },
        paused: false,
        nextFiringAt: expect.any(String),
      }),
      expect.objectContaining({
        name: 'daily-reconciliation',
        cron: '0 30 2 * * *',
        misfire: { policy: 'backfill', limit: 3 },
      }),
      expect.objectContaining({
        name: 'gap-redelivery',
        cron: '0 */5 * * * *',
        misfire: { policy: 'skip' },
      }),
    ]);
    const next = new Date(jobs[1].nextFiringAt);
    expect([next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([2, 30, 0]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
  });

  it('cancels an order stuck PENDING past the deadline with reason "timeout", and leaves a fresh one alone', async () => {
    const stuck = await seedOrder('PENDING', 5 * 60_000);
    const fresh = await seedOrder('PENDING', 1_000);
    await waitFor(
      'the stuck order cancelled',
      async () => (await orderOf(stuck)).status === 'CANCELLED',
      60_000,
      250,
    );
    expect(await orderOf(stuck)).toMatchObject({ status: 'CANCELLED', cancelReason: 'timeout' });
    expect(await shop.orders.published(OrderCancelled, stuck)).toBe(1);
    const task = await waitFor('its task SUCCEEDED', async () => {
      const found = await taskOf('cancel-stuck-order', stuck);
      return found?.status === 'SUCCEEDED' && found;
    });
    expect(task).toMatchObject({
      attempts: 1,
      result: { outcome: 'cancelled', status: 'CANCELLED' },
    });
    const detail = (await admin('get', `/admin/tasks/${task.taskId}`).expect(200)).body;
    expect(detail.history).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'SUCCEEDED', error: null }),
    ]);
    // Runs go on every second; the fresh order is not stuck yet and gets no task.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await taskOf('cancel-stuck-order', fresh)).toBeUndefined();
    expect((await orderOf(fresh)).status).toBe('PENDING');
    const runs = (
      await admin('get', '/admin/jobs/deadline-monitor/runs').query({ limit: 5 }).expect(200)
    ).body;
    expect(runs[0]).toMatchObject({ trigger: 'schedule', replica: expect.any(String) });
    expect(
      runs.some(
        (r: { outcome: string; findings: Record<string, number> | null }) =>
          r.outcome === 'SUCCEEDED' && r.findings?.['stuck-orders'] !== undefined,
      ),
    ).toBe(true);
  });

  it('runs nothing while a job is paused, and carries on when it is resumed', async () => {
    expect(
      (await admin('post', '/admin/jobs/deadline-monitor/pause').expect(200)).body.paused,
    ).toBe(true);
    const stuck = await seedOrder('PENDING', 5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await taskOf('cancel-stuck-order', stuck)).toBeUndefined();
    expect(
      (await admin('post', '/admin/jobs/deadline-monitor/resume').expect(200)).body.paused,
    ).toBe(false);
    await waitFor(
      'the order cancelled after the resume',
      async () => (await orderOf(stuck)).status === 'CANCELLED',
      60_000,
      250,
    );
  });

  it('reconciles authorized payments with confirmed orders on demand: metric, log, a review task per mismatch', async () => {
    const ok = await seedOrder('CONFIRMED', 60_000, 500);
    await seedPayment(ok, 'AUTHORIZED', 500);
    const refundMissing = await seedOrder('CANCELLED', 60_000, 500);
    await seedPayment(refundMissing, 'AUTHORIZED', 500);
    const unpaid = await seedOrder('CONFIRMED', 60_000, 500);
    await seedPayment(unpaid, 'REFUNDED', 500);
    const wrongAmount = await seedOrder('CONFIRMED', 60_000, 500);
    await seedPayment(wrongAmount, 'AUTHORIZED', 400);

    const triggered = (await admin('post', '/admin/jobs/daily-reconciliation/trigger').expect(202))
      .body;
    const run = await waitFor('the reconciliation run', async () => {
      const runs = (await admin('get', '/admin/jobs/daily-reconciliation/runs').expect(200)).body;
      const found = runs.find((r: { runId: string }) => r.runId === triggered.runId);
      return found?.outcome !== 'RUNNING' && found;
    });
    expect(run).toMatchObject({
      trigger: 'manual',
      outcome: 'SUCCEEDED',
      findings: expect.objectContaining({
        mismatches: 3,
        'mismatch:authorized-payment-for-cancelled-order': 1,
        'mismatch:confirmed-order-without-authorized-payment': 1,
        'mismatch:amount-mismatch': 1,
        'mismatch:authorized-payment-without-order': 0,
      }),
    });
    // The refund arrives late: its review finds it resolved; the others stay open.
    await shop.payments.dataSource
      .getRepository(Payment)
      .update({ orderId: refundMissing }, { status: 'REFUNDED' });
    const resolved = await waitFor(
      'the late refund reviewed',
      async () => {
        const t = await taskOf(
          'review-payment-mismatch',
          `authorized-payment-for-cancelled-order:${refundMissing}`,
        );
        return t?.status === 'SUCCEEDED' && t;
      },
      60_000,
      250,
    );
    expect(resolved.result).toMatchObject({ resolved: true });
    for (const ref of [
      `confirmed-order-without-authorized-payment:${unpaid}`,
      `amount-mismatch:${wrongAmount}`,
    ]) {
      const open = await waitFor(
        `the review of ${ref}`,
        async () => {
          const t = await taskOf('review-payment-mismatch', ref);
          return t?.attempts === 1 && t.status === 'PENDING' && t;
        },
        60_000,
        250,
      );
      expect(open.lastError).toMatch(/^still mismatched/);
    }
    const metrics = (await request(shop.scheduler.http).get('/metrics').expect(200)).text;
    // Every series also carries the service's default label (`service`, set by TroupeModule).
    expect(metrics).toMatch(
      new RegExp(
        `${SCHEDULER_METRIC.jobFindings}\\{job_name="daily-reconciliation",finding="mismatch:amount-mismatch",service="[^"]+"\\} 1\\n`,
      ),
    );
    expect(metrics).toMatch(
      new RegExp(
        `${SCHEDULER_METRIC.tasks}\\{type="cancel-stuck-order",status="SUCCEEDED",service="[^"]+"\\} [1-9]`,
      ),
    );
    expect(metrics).toMatch(
      new RegExp(
        `${SCHEDULER_METRIC.oldestPendingTaskAge}\\{type="review-payment-mismatch",service="[^"]+"\\} `,
      ),
    );
    expect(metrics).toMatch(
      new RegExp(
        `${SCHEDULER_METRIC.jobRuns}\\{job_name="daily-reconciliation",trigger="manual",outcome="SUCCEEDED",service="[^"]+"\\} 1`,
      ),
    );
  });

  it('retries a FAILED task by hand: PENDING again with a fresh budget; only FAILED tasks', async () => {
    // An order orders does not know: the cancellation fails at once (not retriable).
    const { id } = await shop.scheduler.app.get(TaskQueue).enqueue({
      type: 'cancel-stuck-order',
      externalRef: randomUUID(),
      data: { orderId: randomUUID() },
    });
    await waitFor(
      'the task FAILED',
      async () => (await admin('get', `/admin/tasks/${id}`).expect(200)).body.status === 'FAILED',
    );
    const retried = (await admin('post', `/admin/tasks/${id}/retry`).expect(200)).body;
    expect(retried).toMatchObject({ taskId: id, status: 'PENDING', attempts: 1, maxAttempts: 7 });
    const failedAgain = await waitFor('the retry to run', async () => {
      const t = (await admin('get', `/admin/tasks/${id}`).expect(200)).body;
      return t.status === 'FAILED' && t.history.length === 2 && t;
    });
    expect(
      failedAgain.history.map((h: { outcome: string; error: string }) => [
        h.outcome,
        h.error.slice(0, 40),
      ]),
    ).toEqual([
      ['FAILED', expect.stringContaining('orders refused to cancel')],
      ['FAILED', expect.stringContaining('orders refused to cancel')],
    ]);
    const listed = (
      await admin('get', '/admin/tasks')
        .query({ status: 'FAILED', type: 'cancel-stuck-order' })
        .expect(200)
    ).body;
    expect(listed.map((t: { taskId: string }) => t.taskId)).toContain(id);

    const succeeded = (
      await admin('get', '/admin/tasks')
        .query({ status: 'SUCCEEDED', type: 'cancel-stuck-order', limit: 1 })
        .expect(200)
    ).body[0];
    const conflict = await admin('post', `/admin/tasks/${succeeded.taskId}/retry`).expect(409);
    expect(conflict.body.detail).toBe(
      `task ${succeeded.taskId} is SUCCEEDED; only a FAILED task can be retried`,
    );
  });

  it('answers invalid ids and names with 4xx problem details', async () => {
    const problem = async (call: request.Test, status: number) => {
      const response = await call.expect(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      return response.body;
    };
    expect((await problem(admin('get', '/admin/tasks/not-a-uuid'), 400)).detail).toMatch(/taskId/);
    await problem(admin('post', '/admin/tasks/42/retry'), 400);
    await problem(admin('get', `/admin/tasks/${randomUUID()}`), 404);
    await problem(admin('post', `/admin/tasks/${randomUUID()}/retry`), 404);
    expect((await problem(admin('post', '/admin/jobs/no-such-job/trigger'), 404)).detail).toBe(
      'no job named no-such-job (jobs: daily-reconciliation, deadline-monitor, gap-redelivery)',
    );
    await problem(admin('post', '/admin/jobs/No%20Such%20Job/pause'), 400);
    await problem(admin('get', '/admin/jobs/no-such-job/runs'), 404);
    expect(
      (await problem(admin('get', '/admin/tasks').query({ status: 'DONE' }), 400)).errors[0].field,
    ).toBe('status');
    expect(
      (
        await problem(
          admin('get', '/admin/jobs/deadline-monitor/runs').query({ limit: 'all' }),
          400,
        )
      ).errors[0].field,
    ).toBe('limit');
  });
});
