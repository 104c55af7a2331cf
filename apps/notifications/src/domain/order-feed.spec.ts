import { OrderFeed } from './order-feed';
import { OrderStatusChange } from './order-status-change';

describe('OrderFeed', () => {
  const change = (orderId: string, status: OrderStatusChange['status']): OrderStatusChange => ({
    orderId,
    status,
    eventId: `${orderId}-${status}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
  });

  it('gives every subscriber the changes from the moment it subscribes, optionally of one order', () => {
    const feed = new OrderFeed();
    feed.publish(change('o-0', 'PLACED'));
    const all: string[] = [];
    const one: string[] = [];
    feed.watch().subscribe((c) => all.push(c.eventId));
    feed.watch('o-2').subscribe((c) => one.push(c.eventId));
    feed.publish(change('o-1', 'PLACED'));
    feed.publish(change('o-2', 'CONFIRMED'));
    expect(all).toEqual(['o-1-PLACED', 'o-2-CONFIRMED']);
    expect(one).toEqual(['o-2-CONFIRMED']);
  });

  it('ends every stream when the module is destroyed', () => {
    const feed = new OrderFeed();
    let completed = false;
    feed.watch().subscribe({ complete: () => (completed = true) });
    feed.onModuleDestroy();
    expect(completed).toBe(true);
  });
});
