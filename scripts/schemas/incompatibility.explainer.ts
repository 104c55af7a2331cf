import { Type, types } from 'avsc';

type AvscSchema = Parameters<typeof Type.forSchema>[0];

/**
 * Why `candidate` may not follow `registered` under `level`, in words, using Avro schema
 * resolution as avsc implements it. For registries that say "incompatible" without saying why
 * (Apicurio's ccompat API). BACKWARD: the candidate must read data written with the registered
 * schema; FORWARD: the reverse; FULL: both. The failing field is named by its path.
 */
export function explainIncompatibility(
  candidate: object,
  registered: object,
  level: string,
  version: number,
): string {
  const next = Type.forSchema(candidate as AvscSchema);
  const previous = Type.forSchema(registered as AvscSchema);
  const upper = level.toUpperCase();
  const checkBackward = !upper.startsWith('FORWARD');
  const checkForward = !upper.startsWith('BACKWARD');
  const reasons: string[] = [];
  if (checkBackward) {
    const failure = resolutionFailure(next, previous, '');
    if (failure)
      reasons.push(
        `the new schema cannot read data written with registered version ${version}: ${failure}`,
      );
  }
  if (checkForward) {
    const failure = resolutionFailure(previous, next, '');
    if (failure)
      reasons.push(
        `registered version ${version} cannot read data written with the new schema: ${failure}`,
      );
  }
  if (reasons.length === 0) {
    return `the registry reports it incompatible (${level}) with version ${version}, but Avro resolution succeeds both ways`;
  }
  return `${level}: ${reasons.join('; ')}`;
}

/**
 * The innermost place where `reader` cannot resolve data written with `writer`, as
 * `<path>: <problem>`; undefined when it can. Descends into records, arrays and maps.
 */
export function resolutionFailure(reader: Type, writer: Type, path: string): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (error) {
    return (
      innerFailure(reader, writer, path) ?? `${path || '(record)'}: ${(error as Error).message}`
    );
  }
}

function innerFailure(reader: Type, writer: Type, path: string): string | undefined {
  if (reader instanceof types.RecordType && writer instanceof types.RecordType) {
    if (reader.name !== writer.name && !(reader.aliases ?? []).includes(writer.name ?? ''))
      return undefined;
    for (const field of reader.fields) {
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      const source = writer.fields.find(
        (w) => w.name === field.name || field.aliases.includes(w.name),
      );
      if (!source) {
        if (field.defaultValue() === undefined)
          return `${fieldPath}: not in the writer's schema and has no default in the reader's`;
        continue;
      }
      const failure = resolutionFailure(field.type, source.type, fieldPath);
      if (failure) return failure;
    }
  }
  if (reader instanceof types.ArrayType && writer instanceof types.ArrayType) {
    return resolutionFailure(reader.itemsType, writer.itemsType, `${path}[]`);
  }
  if (reader instanceof types.MapType && writer instanceof types.MapType) {
    return resolutionFailure(reader.valuesType as Type, writer.valuesType as Type, `${path}{}`);
  }
  return undefined;
}
