import { TypeScriptTypeMapper } from './typescript-type.mapper';

describe('TypeScriptTypeMapper', () => {
  it.each([
    ['string', 'string'],
    ['int', 'number'],
    ['long', 'number'],
    ['float', 'number'],
    ['double', 'number'],
    ['boolean', 'boolean'],
    ['bytes', 'Buffer'],
    ['null', 'null'],
    [{ type: 'long', logicalType: 'timestamp-millis' }, 'number'],
    [{ type: 'string', logicalType: 'uuid' }, 'string'],
    [{ type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 }, 'Buffer'],
    [{ type: 'fixed', name: 'Md5', size: 16 }, 'Buffer'],
    [{ type: 'array', items: 'string' }, 'readonly string[]'],
    [{ type: 'array', items: ['null', 'int'] }, 'readonly (number | null)[]'],
    [{ type: 'array', items: { type: 'array', items: 'int' } }, 'readonly readonly number[][]'],
    [{ type: 'map', values: 'long' }, 'Readonly<Record<string, number>>'],
    [{ type: 'map', values: ['null', 'string'] }, 'Readonly<Record<string, string | null>>'],
    [['null', 'string'], 'string | null'],
    [['string', 'null'], 'string | null'],
    [['null', 'int', 'long', 'string'], 'number | string | null'],
    [['int', 'boolean'], 'number | boolean'],
  ])('maps %j to %s', (avro, ts) => {
    expect(new TypeScriptTypeMapper().map(avro)).toBe(ts);
  });

  it('maps an enum to a named union of string literals', () => {
    const mapper = new TypeScriptTypeMapper();
    expect(
      mapper.map({ type: 'enum', name: 'Currency', doc: 'ISO 4217', symbols: ['EUR', 'USD'] }),
    ).toBe('Currency');
    expect(mapper.declarations).toEqual([
      { name: 'Currency', source: "/** ISO 4217 */\nexport type Currency = 'EUR' | 'USD';" },
    ]);
  });

  it('maps a nested record to an exported interface named after it, with readonly fields', () => {
    const mapper = new TypeScriptTypeMapper();
    const line = {
      type: 'record',
      name: 'troupe.orders.OrderLine',
      fields: [{ name: 'sku', type: 'string', doc: 'the SKU' }],
    };
    expect(mapper.map({ type: 'array', items: line })).toBe('readonly OrderLine[]');
    expect(mapper.declarations).toEqual([
      {
        name: 'OrderLine',
        source: 'export interface OrderLine {\n/** the SKU */\nreadonly sku: string;\n}',
      },
    ]);
  });

  it('resolves later references to a named type, by short or full name, without redeclaring it', () => {
    const mapper = new TypeScriptTypeMapper();
    mapper.map({
      type: 'record',
      name: 'Money',
      namespace: 'troupe.x',
      fields: [{ name: 'cents', type: 'long' }],
    });
    expect(mapper.map('Money')).toBe('Money');
    expect(mapper.map('troupe.x.Money')).toBe('Money');
    expect(mapper.map({ type: 'map', values: 'Money' })).toBe('Readonly<Record<string, Money>>');
    mapper.map({ type: 'fixed', name: 'Hash', size: 4 });
    expect(mapper.map('Hash')).toBe('Buffer');
    expect(mapper.declarations.map((d) => d.name)).toEqual(['Money']);
  });

  it('declares records nested in records before their container, so each is defined once', () => {
    const mapper = new TypeScriptTypeMapper();
    mapper.map({
      type: 'record',
      name: 'Outer',
      fields: [
        {
          name: 'inner',
          type: { type: 'record', name: 'Inner', fields: [{ name: 'n', type: 'int' }] },
        },
      ],
    });
    expect(mapper.declarations.map((d) => d.name)).toEqual(['Inner', 'Outer']);
    expect(mapper.declarations[1].source).toContain('readonly inner: Inner;');
  });

  it('rejects two named types with the same short name, and names that clash with generated code', () => {
    const mapper = new TypeScriptTypeMapper();
    mapper.map({ type: 'enum', name: 'a.Kind', symbols: ['X'] });
    expect(() => mapper.map({ type: 'enum', name: 'b.Kind', symbols: ['Y'] })).toThrow(
      'two named types share the short name "Kind"',
    );
    expect(() =>
      new TypeScriptTypeMapper().map({ type: 'record', name: 'Buffer', fields: [] }),
    ).toThrow('"Buffer" is reserved');
  });

  it('rejects a reference to a type that was never defined', () => {
    expect(() => new TypeScriptTypeMapper().map('Nowhere')).toThrow(
      'reference to undefined type "Nowhere"',
    );
  });
});
