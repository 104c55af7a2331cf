import { decideReservation, demandOf } from './reservation.policy';

describe('demandOf', () => {
  it('sums the lines of one SKU and sorts by SKU', () => {
    expect(
      demandOf([
        { sku: 'b', quantity: 1 },
        { sku: 'a', quantity: 2 },
        { sku: 'b', quantity: 3 },
        { sku: 'C', quantity: 1 },
      ]),
    ).toEqual([
      { sku: 'C', quantity: 1 },
      { sku: 'a', quantity: 2 },
      { sku: 'b', quantity: 4 },
    ]);
  });
});

describe('decideReservation', () => {
  const stock = new Map([
    ['a', 5],
    ['b', 1],
    ['c', 0],
  ]);

  it('reserves when every SKU has enough, exactly enough included', () => {
    expect(
      decideReservation(
        [
          { sku: 'a', quantity: 5 },
          { sku: 'b', quantity: 1 },
        ],
        stock,
      ),
    ).toEqual({ reserve: true });
  });

  it('rejects the whole order when one SKU falls short, naming it', () => {
    expect(
      decideReservation(
        [
          { sku: 'a', quantity: 1 },
          { sku: 'b', quantity: 2 },
        ],
        stock,
      ),
    ).toEqual({
      reserve: false,
      sku: 'b',
      reason: 'insufficient stock for b: 2 requested, 1 available',
    });
  });

  it('rejects an SKU it has no stock row for', () => {
    expect(decideReservation([{ sku: 'zzz', quantity: 1 }], stock)).toEqual({
      reserve: false,
      sku: 'zzz',
      reason: 'unknown sku zzz',
    });
  });

  it('rejects an SKU with nothing available', () => {
    expect(decideReservation([{ sku: 'c', quantity: 1 }], stock)).toMatchObject({
      reserve: false,
      sku: 'c',
    });
  });

  it('names the first short SKU in demand order', () => {
    expect(
      decideReservation(
        [
          { sku: 'b', quantity: 9 },
          { sku: 'c', quantity: 9 },
        ],
        stock,
      ),
    ).toMatchObject({ sku: 'b' });
  });
});
