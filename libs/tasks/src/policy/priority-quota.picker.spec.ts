import { PriorityQuotaPicker } from './priority-quota.picker';

describe('PriorityQuotaPicker', () => {
  it('gives each priority exactly its weight over a cycle, high first', () => {
    const picker = new PriorityQuotaPicker([4, 2, 1]);
    const picks = Array.from({ length: 7 }, () => picker.next());
    expect(picks[0]).toBe(0);
    expect(picks.filter((p) => p === 0)).toHaveLength(4);
    expect(picks.filter((p) => p === 1)).toHaveLength(2);
    expect(picks.filter((p) => p === 2)).toHaveLength(1);
  });

  it('lets low work start within one cycle even with the default weights (no starvation)', () => {
    const picker = new PriorityQuotaPicker();
    const picks = Array.from({ length: 17 }, () => picker.next());
    expect(picks).toContain(2);
    expect(picks.filter((p) => p === 0)).toHaveLength(12);
  });

  it('splits a claim round into quotas', () => {
    expect(new PriorityQuotaPicker([12, 4, 1]).quotas(17)).toEqual([12, 4, 1]);
    expect(new PriorityQuotaPicker([12, 4, 1]).quotas(1)).toEqual([1, 0, 0]);
  });

  it('quotas are a preview until charged', () => {
    const picker = new PriorityQuotaPicker([2, 1, 1]);
    expect(picker.quotas(1)).toEqual([1, 0, 0]);
    expect(picker.quotas(1)).toEqual([1, 0, 0]);
    picker.charge(0);
    expect(picker.quotas(3)).toEqual([1, 1, 1]);
  });

  it('shares quotas among the priorities that have work only', () => {
    const picker = new PriorityQuotaPicker([12, 4, 1]);
    picker.setActive([false, true, true]);
    expect(picker.quotas(5)).toEqual([0, 4, 1]);
    picker.setActive([false, false, false]);
    expect(picker.quotas(17)).toEqual([12, 4, 1]);
  });

  it('rejects bad weights', () => {
    expect(() => new PriorityQuotaPicker([1, 0, 1])).toThrow(/positive integers/);
  });
});
