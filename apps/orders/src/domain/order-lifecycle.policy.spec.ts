import { orderTransition } from './order-lifecycle.policy';

describe('orderTransition', () => {
  it('cancels a pending order with the reason', () => {
    expect(
      orderTransition('PENDING', { kind: 'cancel', reason: 'payment failed: declined' }),
    ).toEqual({ status: 'CANCELLED', cancelReason: 'payment failed: declined' });
  });

  it('confirms a pending order', () => {
    expect(orderTransition('PENDING', { kind: 'confirm' })).toEqual({
      status: 'CONFIRMED',
      cancelReason: null,
    });
  });

  it.each([
    ['CANCELLED', { kind: 'confirm' }],
    ['CANCELLED', { kind: 'cancel', reason: 'stock rejected' }],
    ['CONFIRMED', { kind: 'cancel', reason: 'payment failed' }],
    ['CONFIRMED', { kind: 'confirm' }],
  ] as const)('leaves a %s order alone on %j', (status, outcome) => {
    expect(orderTransition(status, outcome)).toBeNull();
  });
});
