import { testInfra, uniqueName } from '@troupe/testing';
import { checkCompatibility } from '../../scripts/schemas/compatibility.checker';
import type { LocalSchema } from '../../scripts/schemas/local-schema.model';
import { parseLocalSchema } from '../../scripts/schemas/local-schema.parser';
import { registerSchemas } from '../../scripts/schemas/schema.registrar';

/**
 * `schemas:check` and `schemas:register` against the real registry (Apicurio's Confluent API,
 * global level BACKWARD). A fresh aggregate name per run gives a fresh topic, hence a subject
 * no earlier run has touched.
 */
describe('schema compatibility against the registry', () => {
  const registryUrl = testInfra.schemaRegistryUrl();
  const aggregate = uniqueName('probe');
  const version = (fields: object[]): LocalSchema =>
    parseLocalSchema({
      sourcePath: 'schemas/lab/ProbeNoted.avsc',
      text: JSON.stringify({
        type: 'record',
        name: 'ProbeNoted',
        namespace: 'troupe.lab',
        doc: 'A probe was noted.',
        'troupe.aggregate': aggregate,
        'troupe.key': 'probeId',
        fields,
      }),
    });
  const v1 = version([
    { name: 'probeId', type: 'string' },
    { name: 'count', type: 'int' },
  ]);
  const subject = `lab.${aggregate}.events-troupe.lab.ProbeNoted`;

  it('reports new, registers pure Avro, then tells compatible from incompatible evolutions', async () => {
    expect(v1.subject).toBe(subject);
    expect(await checkCompatibility(registryUrl, [v1])).toEqual([
      { subject, sourcePath: v1.sourcePath, status: 'new' },
    ]);

    const [registered] = await registerSchemas(registryUrl, [v1]);
    expect(registered.subject).toBe(subject);
    expect(registered.id).toBeGreaterThan(0);
    const stored = (await (
      await fetch(`${registryUrl}/subjects/${subject}/versions/latest`)
    ).json()) as { schema: string; version: number };
    expect(stored.version).toBe(1);
    expect(stored.schema).toBe(JSON.stringify(v1.schema));
    expect(stored.schema).not.toMatch(/"troupe\.\w+":/);
    expect(await registerSchemas(registryUrl, [v1])).toEqual([registered]); // start-up may register again

    const withOptionalNote = version([
      ...v1.schema.fields,
      { name: 'note', type: ['null', 'string'], default: null },
    ]);
    const countAsString = version([v1.schema.fields[0], { name: 'count', type: 'string' }]);
    const requiredRegion = version([...v1.schema.fields, { name: 'region', type: 'string' }]);
    const results = await checkCompatibility(registryUrl, [
      withOptionalNote,
      countAsString,
      requiredRegion,
    ]);

    expect(results.map((r) => [r.subject, r.status, r.registeredVersion])).toEqual([
      [subject, 'compatible', 1],
      [subject, 'incompatible', 1],
      [subject, 'incompatible', 1],
    ]);
    expect(results[0].reason).toBeUndefined();
    expect(results[1].reason).toBe(
      'BACKWARD: the new schema cannot read data written with registered version 1: count: cannot read "int" as "string"',
    );
    expect(results[2].reason).toBe(
      "BACKWARD: the new schema cannot read data written with registered version 1: region: not in the writer's schema and has no default in the reader's",
    );
  });

  it('refuses to register an incompatible version, naming the subject', async () => {
    const [first] = await registerSchemas(registryUrl, [v1]);
    expect(first.id).toBeGreaterThan(0);
    const countAsString = version([v1.schema.fields[0], { name: 'count', type: 'string' }]);
    await expect(registerSchemas(registryUrl, [countAsString])).rejects.toThrow(
      `registering ${subject} (schemas/lab/ProbeNoted.avsc)`,
    );
  });
});
