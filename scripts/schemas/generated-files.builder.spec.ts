import { buildGeneratedFiles, SourceFormatter } from './generated-files.builder';
import { InvalidSchemaFilesError } from './invalid-schema-files.error';
import type { LocalSchema } from './local-schema.model';
import { parseLocalSchema } from './local-schema.parser';

const identity: SourceFormatter = async (source) => source;
const options = {
  schemasDir: 'schemas',
  generatedDir: 'libs/schemas/src/generated',
  format: identity,
};

function schema(
  domain: string,
  name: string,
  fields: object[] = [{ name: 'id', type: 'string' }],
): LocalSchema {
  const json = {
    type: 'record',
    name,
    namespace: `troupe.${domain}`,
    'troupe.aggregate': 'thing',
    'troupe.key': 'id',
    fields,
  };
  return parseLocalSchema({
    sourcePath: `schemas/${domain}/${name}.avsc`,
    text: JSON.stringify(json),
  });
}
const line = (sku: string) => ({
  type: 'record',
  name: 'Line',
  fields: [{ name: sku, type: 'string' }],
});
const withLine = (sku: string) => [
  { name: 'id', type: 'string' },
  { name: 'line', type: line(sku) },
];

async function problems(schemas: LocalSchema[]): Promise<string[]> {
  const error = await buildGeneratedFiles(schemas, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidSchemaFilesError);
  return (error as InvalidSchemaFilesError).problems.map((p) => p.message);
}

describe('buildGeneratedFiles', () => {
  it('produces one module per event plus index.ts, sorted by path whatever the input order', async () => {
    const a = [schema('b', 'Zed'), schema('a', 'Alpha'), schema('b', 'Beta')];
    const files = await buildGeneratedFiles(a, options);
    expect([...files.keys()]).toEqual([
      'a/alpha.event.ts',
      'b/beta.event.ts',
      'b/zed.event.ts',
      'index.ts',
    ]);
    const again = await buildGeneratedFiles([...a].reverse(), options);
    expect([...again.entries()]).toEqual([...files.entries()]);
  });

  it('lists every class in ALL_EVENT_CLASSES sorted by event type and re-exports its types', async () => {
    const index =
      (await buildGeneratedFiles([schema('b', 'Beta'), schema('a', 'Alpha')], options)).get(
        'index.ts',
      ) ?? '';
    expect(index).toContain(
      'export const ALL_EVENT_CLASSES: readonly EventClass[] = [Alpha, Beta];',
    );
    expect(index).toContain("export { Alpha, type AlphaData } from './a/alpha.event';");
    expect(index).toContain("import { Beta } from './b/beta.event';");
  });

  it('exports a nested type defined identically in several schemas once, from the first', async () => {
    const index = (
      await buildGeneratedFiles(
        [schema('a', 'One', withLine('sku')), schema('a', 'Two', withLine('sku'))],
        options,
      )
    ).get('index.ts');
    expect(index).toContain("export { One, type Line, type OneData } from './a/one.event';");
    expect(index).toContain("export { Two, type TwoData } from './a/two.event';");
  });

  it('rejects a nested type defined differently in two schemas, naming both files', async () => {
    expect(
      await problems([schema('a', 'One', withLine('sku')), schema('a', 'Two', withLine('code'))]),
    ).toEqual([
      'schemas/a/Two.avsc: generates "Line", which schemas/a/One.avsc generates differently',
    ]);
  });

  it('rejects two events with the same name in different domains, since the index exports by name', async () => {
    expect(await problems([schema('a', 'Done'), schema('b', 'Done')])).toEqual([
      'schemas/b/Done.avsc: generates "Done", which schemas/a/Done.avsc generates differently',
      'schemas/b/Done.avsc: generates "DoneData", which schemas/a/Done.avsc generates differently',
    ]);
  });

  it('rejects two schemas that would be written to the same module path', async () => {
    expect(
      await problems([schema('a', 'OrderPlaced'), schema('a', 'Order_Placed')]),
    ).toContainEqual(
      'schemas/a/Order_Placed.avsc: generates a/order-placed.event.ts, as does schemas/a/OrderPlaced.avsc',
    );
  });

  it('passes every file through the formatter with its repository path', async () => {
    const seen: string[] = [];
    const files = await buildGeneratedFiles([schema('a', 'Alpha')], {
      ...options,
      format: async (source, file) => (seen.push(file), `// formatted\n${source}`),
    });
    expect(seen).toEqual([
      'libs/schemas/src/generated/a/alpha.event.ts',
      'libs/schemas/src/generated/index.ts',
    ]);
    expect([...files.values()].every((s) => s.startsWith('// formatted\n'))).toBe(true);
  });
});
