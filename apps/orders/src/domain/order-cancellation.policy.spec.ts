import { decideCancellation } from './order-cancellation.policy';

describe('decideCancellation', () => {
  it('cancels a pending order with the reason', () => {
    expect(decideCancellation({ status: 'PENDING', cancelReason: null }, 'timeout')).toEqual({
      kind: 'cancel',
      transition: { status: 'CANCELLED', cancelReason: 'timeout' },
    });
  });

  it('answers a repeated request for the same reason without a change', () => {
    expect(decideCancellation({ status: 'CANCELLED', cancelReason: 'timeout' }, 'timeout')).toEqual(
      {
        kind: 'already-cancelled',
      },
    );
  });

  it('refuses a confirmed order, and one cancelled for another reason', () => {
    expect(decideCancellation({ status: 'CONFIRMED', cancelReason: null }, 'timeout')).toEqual({
      kind: 'conflict',
      status: 'CONFIRMED',
      cancelReason: null,
    });
    expect(
      decideCancellation(
        { status: 'CANCELLED', cancelReason: 'payment failed: declined' },
        'timeout',
      ),
    ).toEqual({ kind: 'conflict', status: 'CANCELLED', cancelReason: 'payment failed: declined' });
  });
});
