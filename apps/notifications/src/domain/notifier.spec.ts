import { EventContext } from '@troupe/messaging';
import { isRetriable } from '@troupe/schemas';
import { NotificationRepository } from '../persistence/notification.repository';
import { NotificationMessage } from './notification-message';
import { NotificationProvider } from './notification-provider.port';
import { CUSTOMER_WAIT_ATTEMPTS, Notifier } from './notifier';

describe('Notifier', () => {
  const message: NotificationMessage = {
    kind: 'order-confirmed',
    orderId: 'o-1',
    customerId: 'c-1',
    recipient: 'customer:c-1',
    subject: 's',
    body: 'b',
  };
  const ctx = (attempt = 1) =>
    ({
      eventId: 'e-1',
      eventType: 'troupe.orders.OrderConfirmed',
      occurredAt: new Date(0),
      attempt,
      tx: {},
    }) as unknown as EventContext;

  function setUp(options: { inserted?: boolean; customer?: string | null }) {
    const provider = { channel: 'log', send: jest.fn().mockResolvedValue(undefined) };
    const repository = {
      insertOnce: jest.fn().mockResolvedValue(options.inserted ?? true),
      customerOf: jest.fn().mockResolvedValue(options.customer ?? null),
    };
    const notifier = new Notifier(
      provider as unknown as NotificationProvider,
      repository as unknown as NotificationRepository,
    );
    return { notifier, provider, repository };
  }

  it('records the notification under its event id and sends it', async () => {
    const { notifier, provider, repository } = setUp({});
    await notifier.notify(ctx(), message);
    expect(repository.insertOnce).toHaveBeenCalledWith(
      ctx().tx,
      expect.objectContaining({
        eventId: 'e-1',
        orderId: 'o-1',
        kind: 'order-confirmed',
        channel: 'log',
      }),
    );
    expect(provider.send).toHaveBeenCalledWith(message, 'e-1');
  });

  it('sends nothing when the event was notified already', async () => {
    const { notifier, provider } = setUp({ inserted: false });
    await notifier.notify(ctx(), message);
    expect(provider.send).not.toHaveBeenCalled();
  });

  it('addresses the customer once known; until then retries, then falls back to the order', async () => {
    expect(await setUp({ customer: 'c-1' }).notifier.addresseeOf(ctx(), 'o-1')).toEqual({
      customerId: 'c-1',
      recipient: 'customer:c-1',
    });
    const waiting = setUp({ customer: null }).notifier.addresseeOf(ctx(1), 'o-1');
    await expect(waiting).rejects.toThrow('not known yet');
    expect(isRetriable(await waiting.catch((error: unknown) => error))).toBe(true);
    expect(
      await setUp({ customer: null }).notifier.addresseeOf(ctx(CUSTOMER_WAIT_ATTEMPTS), 'o-1'),
    ).toEqual({ customerId: null, recipient: 'order:o-1' });
  });
});
