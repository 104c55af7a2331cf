import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/start/platform-apps';
import { PlatformHandle, startPlatform } from '../../scripts/start/platform-processes';
import { http } from './support/http';
import { ReferenceClient } from './support/reference-client';

/**
 * The scheduler's deadline monitor in the reference system, every app its own process: an
 * order gets stuck PENDING on purpose (shipping is not running, so no ShipmentScheduled ever
 * confirms it), the scheduler asks orders to cancel it with reason "timeout", and the
 * choreography's own compensation follows by events: payment refunded, stock released.
 */
describe('deadline monitor in the reference system', () => {
  const run = randomUUID().slice(0, 8);
  const TOKEN = `e2e-admin-${randomUUID()}`;
  let platform: PlatformHandle;
  let client: ReferenceClient;

  beforeAll(async () => {
    platform = await startPlatform({
      apps: ['orders', 'payments', 'inventory', 'notifications', 'checkout', 'scheduler'],
      logDir: path.join(REPO_ROOT, 'infra', '.data', 'e2e-deadline-apps'),
      env: { DATABASE_POOL_SIZE: '5' },
      appEnv: {
        payments: { PAYMENT_FAILURE_RATE: '0' },
        scheduler: {
          ADMIN_TOKEN: TOKEN,
          ORDER_PENDING_TIMEOUT_S: '10',
          SCHEDULER_JOB_SCHEDULES: 'deadline-monitor=*/2 * * * * *',
        },
      },
      onProgress: (message) => process.stderr.write(`[e2e] ${message}\n`),
    });
    client = new ReferenceClient(platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('cancels a deliberately stuck order with reason "timeout"; the payment is refunded and the stock released', async () => {
    const sku = `e2e-${run}-stuck`;
    await client.seedStock(sku, 10);
    const orderId = await client.place({
      customerId: `e2e-${run}-erin`,
      items: [{ sku, quantity: 3, unitPriceCents: 1_250 }],
    });
    // Payment and stock go through; with no shipping the order can only wait.
    const stuck = await client.waitForView(
      orderId,
      'payment AUTHORIZED and stock RESERVED',
      (s) => s.payment?.status === 'AUTHORIZED' && s.stock?.status === 'RESERVED',
    );
    expect(stuck.order.status).toBe('PENDING');
    expect(await client.stock(sku)).toMatchObject({ available: 7, reserved: 3 });

    const state = await client.waitForView(
      orderId,
      'CANCELLED (timeout), payment REFUNDED, stock RELEASED',
      (s) =>
        s.order.status === 'CANCELLED' &&
        s.payment?.status === 'REFUNDED' &&
        s.stock?.status === 'RELEASED',
      120_000,
    );
    expect(state.order.cancelReason).toBe('timeout');
    expect(state.payment?.amountCents).toBe(3_750);
    expect(await client.stock(sku)).toMatchObject({ available: 10, reserved: 0 });
    await client.poll(
      `the cancellation and refund notifications of ${orderId}`,
      30_000,
      async () => {
        const kinds = (await client.notifications(orderId)).map((n) => n.kind);
        return {
          done: kinds.includes('order-cancelled') && kinds.includes('payment-refunded'),
          last: kinds,
        };
      },
    );

    // The scheduler kept one task for it, succeeded at the first attempt.
    const tasks = await http<Array<Record<string, unknown>>>(
      'GET',
      `${client.url('scheduler')}/admin/tasks?type=cancel-stuck-order&externalRef=${orderId}`,
      undefined,
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(tasks.status).toBe(200);
    expect(tasks.body).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        attempts: 1,
        result: { outcome: 'cancelled', status: 'CANCELLED' },
      }),
    ]);
    const unauthorized = await http('GET', `${client.url('scheduler')}/admin/tasks`);
    expect(unauthorized.status).toBe(401);
  });
});
