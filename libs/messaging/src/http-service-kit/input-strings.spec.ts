import { MAX_INPUT_DEPTH, unsafeStringProblems } from './input-strings';

describe('unsafeStringProblems', () => {
  it('names every string with a NUL or an unpaired surrogate by its path, keys included', () => {
    expect(
      unsafeStringProblems({
        ok: 'fine \ud83d\ude00',
        customerId: 'a\u0000b',
        items: [{ sku: 'x\ud800' }, { sku: '\udc00y' }],
        ['k\u0000']: 1,
      }),
    ).toEqual([
      { field: 'customerId', problems: ['must not contain NUL (U+0000), found at index 1'] },
      {
        field: 'items.0.sku',
        problems: ['must be well-formed Unicode: unpaired surrogate U+D800 at index 1'],
      },
      {
        field: 'items.1.sku',
        problems: ['must be well-formed Unicode: unpaired surrogate U+DC00 at index 0'],
      },
      {
        field: '"k\\u0000"',
        problems: ['the name must not contain NUL (U+0000), found at index 1'],
      },
    ]);
  });

  it('names a bare value by the root it is given, and refuses deep nesting', () => {
    expect(unsafeStringProblems('\u0000', 'orderId')).toEqual([
      { field: 'orderId', problems: [expect.stringContaining('NUL')] },
    ]);
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH + 5; i++) deep = [deep];
    expect(unsafeStringProblems(deep)).toEqual([
      {
        field: expect.any(String),
        problems: [`must not nest deeper than ${MAX_INPUT_DEPTH} levels`],
      },
    ]);
  });
});
