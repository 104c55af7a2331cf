import { parseLocalSchema } from './local-schema.parser';
import { SchemaFileError } from './schema-file.error';

const PATH = 'schemas/orders/OrderPlaced.avsc';

function file(overrides: Record<string, unknown> = {}, drop: string[] = []): string {
  const json: Record<string, unknown> = {
    type: 'record',
    name: 'OrderPlaced',
    namespace: 'troupe.orders',
    doc: 'placed',
    'troupe.aggregate': 'order',
    'troupe.key': 'orderId',
    fields: [
      { name: 'orderId', type: 'string' },
      { name: 'count', type: 'int' },
      { name: 'note', type: ['null', 'string'], default: null },
      { name: 'ref', type: { type: 'string', logicalType: 'uuid' } },
    ],
    ...overrides,
  };
  for (const key of drop) delete json[key];
  return JSON.stringify(json);
}

function problemOf(text: string, sourcePath = PATH): string {
  try {
    parseLocalSchema({ sourcePath, text });
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaFileError);
    expect((error as SchemaFileError).message).toBe(
      `${sourcePath}: ${(error as SchemaFileError).problem}`,
    );
    return (error as SchemaFileError).message;
  }
  throw new Error('expected the schema to be rejected');
}

describe('parseLocalSchema', () => {
  it('derives event type, topic and TopicRecordNameStrategy subject from a valid file', () => {
    const schema = parseLocalSchema({ sourcePath: PATH, text: file() });
    expect(schema).toMatchObject({
      sourcePath: PATH,
      domain: 'orders',
      name: 'OrderPlaced',
      fullName: 'troupe.orders.OrderPlaced',
      aggregate: 'order',
      keyField: 'orderId',
      topic: 'orders.order.events',
      subject: 'orders.order.events-troupe.orders.OrderPlaced',
    });
  });

  it('strips the troupe.* attributes from the schema and keeps every other key in file order', () => {
    const { schema } = parseLocalSchema({ sourcePath: PATH, text: file() });
    expect(Object.keys(schema)).toEqual(['type', 'name', 'namespace', 'doc', 'fields']);
    expect(JSON.stringify(schema)).not.toContain('troupe.aggregate');
    expect(JSON.stringify(schema)).not.toContain('troupe.key');
  });

  it('leaves keyField out when the file has no troupe.key', () => {
    const schema = parseLocalSchema({ sourcePath: PATH, text: file({}, ['troupe.key']) });
    expect('keyField' in schema).toBe(false);
  });

  it('accepts a string with a logical type as the key field', () => {
    expect(
      parseLocalSchema({ sourcePath: PATH, text: file({ 'troupe.key': 'ref' }) }).keyField,
    ).toBe('ref');
  });

  it.each([
    [
      'a namespace that is not troupe.<folder>',
      file({ namespace: 'troupe.payments' }),
      'namespace "troupe.payments" must be "troupe.orders" (from the folder "orders")',
    ],
    ['a missing namespace', file({}, ['namespace']), 'namespace undefined must be "troupe.orders"'],
    [
      'a record name other than the file name',
      file({ name: 'OrderCreated' }),
      'record name "OrderCreated" must equal the file name "OrderPlaced"',
    ],
    [
      'a missing troupe.aggregate',
      file({}, ['troupe.aggregate']),
      '"troupe.aggregate" is required',
    ],
    [
      'an aggregate with a dot',
      file({ 'troupe.aggregate': 'order.line' }),
      '"troupe.aggregate" must be a lower-case name',
    ],
    [
      'a key naming no field',
      file({ 'troupe.key': 'orderNo' }),
      '"troupe.key" names "orderNo", which is not a top-level field',
    ],
    [
      'a nullable key field',
      file({ 'troupe.key': 'note' }),
      '"troupe.key" field "note" has type ["null","string"]; the key must be a non-null string',
    ],
    [
      'a non-string key field',
      file({ 'troupe.key': 'count' }),
      '"troupe.key" field "count" has type "int"',
    ],
    [
      'an unknown troupe attribute',
      file({ 'troupe.keys': 'orderId' }),
      'unknown Troupe attribute(s) troupe.keys',
    ],
    [
      'a troupe attribute on a field',
      file({ fields: [{ name: 'orderId', type: 'string', 'troupe.key': true }] }),
      'Troupe attributes belong on the top-level record only, found /fields[0]/troupe.key',
    ],
    [
      'invalid Avro',
      file({ fields: [{ name: 'orderId', type: 'strin' }] }),
      'is not a valid Avro schema: undefined type name: troupe.orders.strin',
    ],
    [
      'a top-level enum',
      file({ type: 'enum', symbols: ['A'] }),
      'top-level type must be "record", found "enum"',
    ],
    ['invalid JSON', '{ "type": "record", ', 'is not valid JSON'],
  ])('rejects %s, naming the file and the problem', (_case, text, problem) => {
    const message = problemOf(text);
    expect(message.startsWith(`${PATH}: `)).toBe(true);
    expect(message).toContain(problem);
  });

  it('reads the domain from the folder, so a file moved to another folder fails the namespace rule', () => {
    expect(problemOf(file(), 'schemas/payments/OrderPlaced.avsc')).toContain(
      'must be "troupe.payments"',
    );
  });

  it('ignores troupe.* keys inside default values, which are data', () => {
    const fields = [
      { name: 'orderId', type: 'string' },
      { name: 'tags', type: { type: 'map', values: 'string' }, default: { 'troupe.x': 'y' } },
    ];
    expect(
      parseLocalSchema({ sourcePath: PATH, text: file({ fields }) }).schema.fields[1].default,
    ).toEqual({ 'troupe.x': 'y' });
  });
});
