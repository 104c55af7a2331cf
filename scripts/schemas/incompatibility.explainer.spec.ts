import { Type } from 'avsc';
import { explainIncompatibility, resolutionFailure } from './incompatibility.explainer';

const record = (fields: object[]) => ({ type: 'record', name: 'A', namespace: 'troupe.t', fields });
const v1 = record([
  { name: 'id', type: 'string' },
  {
    name: 'lines',
    type: {
      type: 'array',
      items: { type: 'record', name: 'Line', fields: [{ name: 'qty', type: 'int' }] },
    },
  },
]);

describe('explainIncompatibility', () => {
  it('names the field whose type change BACKWARD rejects', () => {
    const v2 = record([{ name: 'id', type: 'int' }, v1.fields[1]]);
    expect(explainIncompatibility(v2, v1, 'BACKWARD', 4)).toBe(
      'BACKWARD: the new schema cannot read data written with registered version 4: id: cannot read "string" as "int"',
    );
  });

  it('names a field added without a default, by its path inside arrays of records', () => {
    const line = {
      type: 'record',
      name: 'Line',
      fields: [
        { name: 'qty', type: 'int' },
        { name: 'sku', type: 'string' },
      ],
    };
    const v2 = record([v1.fields[0], { name: 'lines', type: { type: 'array', items: line } }]);
    expect(explainIncompatibility(v2, v1, 'BACKWARD_TRANSITIVE', 1)).toContain(
      "lines[].sku: not in the writer's schema and has no default in the reader's",
    );
  });

  it('checks the other direction under FORWARD: a removed field the old reader needs', () => {
    const v2 = record([v1.fields[1]]);
    expect(explainIncompatibility(v2, v1, 'FORWARD', 2)).toBe(
      "FORWARD: registered version 2 cannot read data written with the new schema: id: not in the writer's schema and has no default in the reader's",
    );
  });

  it('reports both directions under FULL', () => {
    const v2 = record([{ name: 'id', type: 'int' }, v1.fields[1]]);
    const reason = explainIncompatibility(v2, v1, 'FULL', 1);
    expect(reason).toContain('the new schema cannot read');
    expect(reason).toContain('registered version 1 cannot read');
  });

  it('says so when Avro resolution finds nothing wrong', () => {
    expect(explainIncompatibility(v1, v1, 'BACKWARD', 1)).toContain(
      'but Avro resolution succeeds both ways',
    );
  });
});

describe('resolutionFailure', () => {
  it('is undefined for a compatible evolution (an added field with a default)', () => {
    const v2 = record([...v1.fields, { name: 'note', type: ['null', 'string'], default: null }]);
    expect(
      resolutionFailure(Type.forSchema(v2 as never), Type.forSchema(v1 as never), ''),
    ).toBeUndefined();
  });

  it('falls back to avsc’s message for a renamed record', () => {
    const renamed = { ...v1, name: 'B' };
    expect(
      resolutionFailure(Type.forSchema(renamed as never), Type.forSchema(v1 as never), ''),
    ).toBe('(record): no alias found for troupe.t.A');
  });
});
