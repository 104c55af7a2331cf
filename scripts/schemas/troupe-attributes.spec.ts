import { nestedTroupeAttributes, stripTroupeAttributes } from './troupe-attributes';

describe('stripTroupeAttributes', () => {
  it('removes every top-level troupe.* key and keeps the rest in order', () => {
    const stripped = stripTroupeAttributes({
      type: 'record',
      'troupe.aggregate': 'order',
      name: 'A',
      'troupe.key': 'id',
      fields: [],
    });
    expect(JSON.stringify(stripped)).toBe('{"type":"record","name":"A","fields":[]}');
  });

  it('does not modify its input', () => {
    const input = { name: 'A', 'troupe.key': 'id' };
    stripTroupeAttributes(input);
    expect(input).toEqual({ name: 'A', 'troupe.key': 'id' });
  });

  it('keeps values that merely start with troupe., such as the namespace', () => {
    expect(stripTroupeAttributes({ namespace: 'troupe.orders' })).toEqual({
      namespace: 'troupe.orders',
    });
  });
});

describe('nestedTroupeAttributes', () => {
  it('finds troupe.* keys below the top level, with their JSON paths, but not in defaults', () => {
    const schema = {
      'troupe.key': 'top-level is fine',
      fields: [
        { name: 'a', type: { type: 'record', name: 'R', 'troupe.aggregate': 'x', fields: [] } },
        { name: 'b', type: 'string', default: { 'troupe.data': 1 } },
      ],
    };
    expect(nestedTroupeAttributes(schema)).toEqual(['/fields[0]/type/troupe.aggregate']);
  });
});
