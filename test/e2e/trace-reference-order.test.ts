import { uniqueName } from '@troupe/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { CliContext } from '../../apps/compensation/src/cli/verb';
import { outboxVerb } from '../../apps/compensation/src/cli/verbs/outbox.verb';
import { traceVerb } from '../../apps/compensation/src/cli/verbs/trace.verb';
import type { OutboxOverviewView } from '../../apps/compensation/src/outbox/outbox-overview';
import type { FlowTrace } from '../../apps/compensation/src/trace/flow-trace';
import { REPO_ROOT } from '../../scripts/start/platform-apps';
import { PlatformHandle, startPlatform } from '../../scripts/start/platform-processes';
import { ReferenceClient } from './support/reference-client';

/**
 * `troupe trace` on orders of the reference system, every app its own process (as `npm start`
 * runs them): a confirmed order shows every step of its chain, a declined one where it turned.
 * The correlation id of an order is the event id of its OrderPlaced (which the order-placed
 * notification records).
 */
describe('troupe trace on the reference system', () => {
  const run = randomUUID().slice(0, 8);
  const TOKEN = `e2e-admin-${randomUUID()}`;
  const DECLINE_ABOVE_CENTS = 100_000;
  let platform: PlatformHandle;
  let client: ReferenceClient;
  const sku = (name: string) => `e2e-${run}-${name}`;

  beforeAll(async () => {
    platform = await startPlatform({
      logDir: path.join(REPO_ROOT, 'infra', '.data', 'e2e-trace-apps'),
      env: { DATABASE_POOL_SIZE: '3', TROUPE_INSTANCE_ID: uniqueName('e2e'), ADMIN_TOKEN: TOKEN },
      appEnv: {
        payments: {
          PAYMENT_DECLINE_ABOVE_CENTS: String(DECLINE_ABOVE_CENTS),
          PAYMENT_FAILURE_RATE: '0',
        },
      },
      onProgress: (message) => process.stderr.write(`[e2e] ${message}\n`),
    });
    client = new ReferenceClient(platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const cli = async (verb: typeof traceVerb, args: string[], json = false) => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      url: client.url('compensation'),
      token: TOKEN,
      json,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    };
    return { code: await verb.run(args, ctx), out: out.join('\n'), err: err.join('\n') };
  };
  /** The order's correlation id: the id of its OrderPlaced, as the order-placed notification has it. */
  const correlationOf = async (orderId: string): Promise<string> =>
    (await client.poll(`the order-placed notification of ${orderId}`, 60_000, async () => {
      const placed = (await client.notifications(orderId)).find((n) => n.kind === 'order-placed');
      return { done: placed !== undefined, last: placed?.eventId };
    }))!;
  const traceUntil = async (correlationId: string, what: string, done: (t: FlowTrace) => boolean) =>
    (await client.poll<unknown>(what, 60_000, async () => {
      const r = await cli(traceVerb, [correlationId], true);
      const trace = r.code === 0 ? (JSON.parse(r.out) as FlowTrace) : undefined;
      return { done: trace !== undefined && done(trace), last: trace ?? r };
    })) as FlowTrace;
  const name = (type: string) => type.split('.').at(-1);
  /** `<event> by <service> -> <groups that handled it>`, in publication order. */
  const chain = (trace: FlowTrace) =>
    trace.events.map(
      (e) =>
        `${name(e.eventType)} by ${e.service} -> ${e.deliveries
          .filter((d) => d.state === 'handled')
          .map((d) => d.groupId)
          .sort()
          .join(',')}`,
    );

  it('shows every step of a confirmed order: each event, its publisher, the groups that handled it, nothing stopped', async () => {
    await client.seedStock(sku('happy'), 10);
    const orderId = await client.place({
      customerId: `e2e-${run}-alice`,
      items: [{ sku: sku('happy'), quantity: 1, unitPriceCents: 2_500 }],
    });
    await client.waitForView(
      orderId,
      'CONFIRMED and shipped',
      (s) => s.order.status === 'CONFIRMED' && s.shipment?.status === 'SCHEDULED',
    );
    const correlationId = await correlationOf(orderId);
    const trace = await traceUntil(
      correlationId,
      `the complete trace of ${orderId}`,
      (t) => t.status === 'complete' && t.events.length === 5,
    );

    expect(trace.events.every((e) => e.key === orderId && e.state === 'published')).toBe(true);
    expect(new Set(chain(trace))).toEqual(
      new Set([
        'OrderPlaced by orders -> inventory,notifications,payments',
        'StockReserved by inventory -> shipping',
        'PaymentAuthorized by payments -> shipping',
        'ShipmentScheduled by shipping -> notifications,orders',
        'OrderConfirmed by orders -> notifications',
      ]),
    );
    const byType = new Map(trace.events.map((e) => [name(e.eventType), e]));
    expect(byType.get('OrderPlaced')!.eventId).toBe(correlationId);
    expect(byType.get('OrderConfirmed')!.causationId).toBe(
      byType.get('ShipmentScheduled')!.eventId,
    );
    expect(trace.stops).toEqual([]);
    expect(trace.services.unreachable).toEqual([]);
    expect(trace.steps).toHaveLength(5 * 2 + 8); // written + published per event, one step per handling

    const text = await cli(traceVerb, [correlationId]);
    process.stderr.write(`[e2e] troupe trace ${correlationId}\n${text.out}\n`);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`flow ${correlationId}: COMPLETE, 5 event(s) from 4 service(s)`);
    expect(text.out).toMatch(
      /shipping\s+wrote ShipmentScheduled .*after (StockReserved|PaymentAuthorized)/,
    );
    expect(text.out).toContain('where it stopped: nowhere');
    // An operator knows the order id: the same trace by key.
    const byKey = await cli(traceVerb, ['--key', orderId], true);
    expect((JSON.parse(byKey.out) as FlowTrace).correlationId).toBe(correlationId);
  });

  it('shows where a declined order turned: PaymentFailed, then OrderCancelled because of it, and no shipment', async () => {
    await client.seedStock(sku('decline'), 10);
    const orderId = await client.place({
      customerId: `e2e-${run}-carol`,
      items: [{ sku: sku('decline'), quantity: 1, unitPriceCents: DECLINE_ABOVE_CENTS + 1 }],
    });
    await client.waitForView(
      orderId,
      'CANCELLED, stock RELEASED',
      (s) => s.order.status === 'CANCELLED' && s.stock?.status === 'RELEASED',
    );
    const correlationId = await correlationOf(orderId);
    const trace = await traceUntil(
      correlationId,
      `the trace of ${orderId} through its cancellation`,
      (t) => t.status === 'complete' && t.events.some((e) => e.eventType.endsWith('StockReleased')),
    );
    const byType = new Map(trace.events.map((e) => [name(e.eventType), e]));
    expect(byType.get('PaymentFailed')).toMatchObject({
      service: 'payments',
      causationId: correlationId,
    });
    expect(byType.get('OrderCancelled')).toMatchObject({
      service: 'orders',
      causationId: byType.get('PaymentFailed')!.eventId,
    });
    expect(byType.get('StockReleased')).toMatchObject({
      service: 'inventory',
      causationId: byType.get('OrderCancelled')!.eventId,
    });
    expect(byType.has('ShipmentScheduled')).toBe(false);
    expect(byType.has('OrderConfirmed')).toBe(false);
    expect(chain(trace)).toContain('PaymentFailed by payments -> orders');

    const text = await cli(traceVerb, [correlationId]);
    process.stderr.write(`[e2e] troupe trace ${correlationId}\n${text.out}\n`);
    expect(text.out).toMatch(/orders\s+wrote OrderCancelled .*after PaymentFailed/);
  });

  it('shows every outbox of the system, and refuses an unknown correlation id with exit code 1', async () => {
    const outbox = await cli(outboxVerb, [], true);
    expect(outbox.code).toBe(0);
    const view = JSON.parse(outbox.out) as OutboxOverviewView;
    expect(view.services.map((s) => [s.service, s.reachable])).toEqual(
      ['orders', 'payments', 'inventory', 'shipping', 'notifications', 'scheduler', 'tasks'].map(
        (s) => [s, true],
      ),
    );
    const text = await cli(outboxVerb, []);
    process.stderr.write(`[e2e] troupe outbox\n${text.out}\n`);
    const unknown = await cli(traceVerb, [randomUUID()]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no flow with correlation id');
  });
});
