import { Type } from 'avsc';

type AvscSchema = Parameters<typeof Type.forSchema>[0];

/**
 * TypeScript literals for the top-level fields' defaults, keyed by field name, in field order.
 * avsc turns each JSON default into its runtime value (bytes and fixed become Buffers, records
 * plain objects), which is then written back as source.
 */
export function defaultLiterals(schema: object): Array<[field: string, literal: string]> {
  const record = Type.forSchema(schema as AvscSchema) as unknown as {
    fields: Array<{ name: string; defaultValue(): unknown }>;
  };
  return record.fields
    .map((field): [string, unknown] => [field.name, field.defaultValue()])
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, literal(value)]);
}

export function literal(value: unknown): string {
  if (Buffer.isBuffer(value)) return `Buffer.from('${value.toString('hex')}', 'hex')`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}
