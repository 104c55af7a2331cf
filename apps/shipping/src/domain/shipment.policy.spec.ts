import { shouldSchedule } from './shipment.policy';

describe('shouldSchedule', () => {
  it('schedules once payment and stock are both seen', () => {
    expect(shouldSchedule({ status: 'WAITING', paymentSeen: true, stockSeen: true })).toBe(true);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
  ])('waits with payment seen %s and stock seen %s', (paymentSeen, stockSeen) => {
    expect(shouldSchedule({ status: 'WAITING', paymentSeen, stockSeen })).toBe(false);
  });

  it('never schedules twice', () => {
    expect(shouldSchedule({ status: 'SCHEDULED', paymentSeen: true, stockSeen: true })).toBe(false);
  });
});
