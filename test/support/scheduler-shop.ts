import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { OrdersConfig } from '../../apps/orders/src/orders.config';
import { OrdersModule } from '../../apps/orders/src/orders.module';
import { Order } from '../../apps/orders/src/persistence/order.entity';
import { PaymentsConfig } from '../../apps/payments/src/payments.config';
import { PaymentsModule } from '../../apps/payments/src/payments.module';
import { Payment } from '../../apps/payments/src/persistence/payment.entity';
import { SchedulerConfig } from '../../apps/scheduler/src/scheduler.config';
import { SchedulerModule } from '../../apps/scheduler/src/scheduler.module';
import { DomainApp, sandboxConfig, startDomainApp } from './domain-harness';

/**
 * The scheduler app in-process with the real orders and payments apps it calls (each sandboxed:
 * own schema, own group, the run's topics), orders and payments listening on loopback ports.
 * Rows are seeded straight into their tables (no events, so nothing else reacts to them).
 */
export async function startSchedulerShop(adminToken: string, env: Record<string, string>) {
  const ordersConfig = await sandboxConfig(OrdersConfig, 'orders');
  const paymentsConfig = await sandboxConfig(PaymentsConfig, 'payments');
  const orders = await startDomainApp(OrdersModule.forRoot(ordersConfig));
  const payments = await startDomainApp(PaymentsModule.forRoot(paymentsConfig));
  const schedulerConfig = await sandboxConfig(SchedulerConfig, 'scheduler', {
    ORDERS_URL: await listen(orders.app),
    PAYMENTS_URL: await listen(payments.app),
    ADMIN_TOKEN: adminToken,
    ...env,
  });
  const scheduler: DomainApp = await startDomainApp(SchedulerModule.forRoot(schedulerConfig));

  const admin = (method: 'get' | 'post', path: string, token: string | null = adminToken) => {
    const call = request(scheduler.http)[method](path);
    return token ? call.set('authorization', `Bearer ${token}`) : call;
  };
  return {
    orders,
    payments,
    scheduler,
    admin,
    async seedOrder(status: Order['status'], ageMs: number, totalCents = 500): Promise<string> {
      const id = randomUUID();
      const at = new Date(Date.now() - ageMs);
      await orders.dataSource.getRepository(Order).insert({
        id,
        customerId: 'c-seeded',
        status,
        cancelReason: null,
        items: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: totalCents }],
        totalCents,
        idempotencyKey: null,
        createdAt: at,
        updatedAt: at,
      });
      return id;
    },
    async seedPayment(
      orderId: string,
      status: Payment['status'],
      amountCents = 500,
    ): Promise<void> {
      await payments.dataSource
        .getRepository(Payment)
        .insert({ id: randomUUID(), orderId, status, amountCents, reason: null });
    },
    /** The scheduler's task of this type and reference, as the admin API shows it. */
    async taskOf(type: string, externalRef: string) {
      return (await admin('get', '/admin/tasks').query({ type, externalRef }).expect(200)).body[0];
    },
    async orderOf(id: string) {
      return (await request(orders.http).get(`/orders/${id}`).expect(200)).body;
    },
    async stop(): Promise<void> {
      await scheduler.stop();
      await orders.stop();
      await payments.stop();
      for (const config of [schedulerConfig, ordersConfig, paymentsConfig])
        await config.dropSchema();
    },
  };
}

export type SchedulerShop = Awaited<ReturnType<typeof startSchedulerShop>>;

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}
