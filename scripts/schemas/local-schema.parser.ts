import { Type } from 'avsc';
import type { AvroRecordSchema } from '../../libs/schemas/src/event-class';
import { topicNames } from '../../libs/schemas/src/topic-names';
import type { LocalSchema } from './local-schema.model';
import { SchemaFileError } from './schema-file.error';
import {
  AGGREGATE_ATTRIBUTE,
  KEY_ATTRIBUTE,
  KNOWN_TROUPE_ATTRIBUTES,
  isTroupeAttribute,
  nestedTroupeAttributes,
  stripTroupeAttributes,
} from './troupe-attributes';

/** One `.avsc` file as read from disk. */
export interface SchemaFileInput {
  /** Repository-relative POSIX path: `schemas/<domain>/<EventName>.avsc`. */
  readonly sourcePath: string;
  readonly text: string;
}

type AvscSchema = Parameters<typeof Type.forSchema>[0];

/** Aggregate names become a topic segment: no dots, which separate the segments. */
const AGGREGATE_PATTERN = /^[a-z][a-z0-9_-]*$/;

/**
 * Validates one schema file against Troupe's rules and derives its topic and subject.
 * Throws {@link SchemaFileError} naming the file and the first rule it breaks:
 * namespace `troupe.<domain>` (the folder), record name = file name, `troupe.aggregate`
 * required, `troupe.key` (if present) names a top-level non-null string field, no unknown or
 * nested `troupe.*` attributes, and the stripped schema parses with avsc.
 */
export function parseLocalSchema(input: SchemaFileInput): LocalSchema {
  const fail = (problem: string): never => {
    throw new SchemaFileError(input.sourcePath, problem);
  };
  const segments = input.sourcePath.split('/');
  const fileName = segments[segments.length - 1];
  const domain = segments[segments.length - 2];
  if (segments.length < 3 || !fileName.endsWith('.avsc')) {
    fail('schema files must be at schemas/<domain>/<EventName>.avsc');
  }
  const baseName = fileName.slice(0, -'.avsc'.length);

  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (error) {
    return fail(`is not valid JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return fail('must contain a JSON object');
  const file = json as Record<string, unknown>;
  if (file.type !== 'record')
    fail(`top-level type must be "record", found ${JSON.stringify(file.type)}`);
  if (file.name !== baseName) {
    fail(`record name ${JSON.stringify(file.name)} must equal the file name "${baseName}"`);
  }
  const namespace = `troupe.${domain}`;
  if (file.namespace !== namespace) {
    fail(
      `namespace ${JSON.stringify(file.namespace)} must be "${namespace}" (from the folder "${domain}")`,
    );
  }

  const unknown = Object.keys(file).filter(
    (k) => isTroupeAttribute(k) && !KNOWN_TROUPE_ATTRIBUTES.includes(k),
  );
  if (unknown.length > 0) {
    fail(
      `unknown Troupe attribute(s) ${unknown.join(', ')}; known: ${KNOWN_TROUPE_ATTRIBUTES.join(', ')}`,
    );
  }
  const nested = nestedTroupeAttributes(file);
  if (nested.length > 0)
    fail(`Troupe attributes belong on the top-level record only, found ${nested.join(', ')}`);

  const aggregate = file[AGGREGATE_ATTRIBUTE];
  if (aggregate === undefined) fail(`"${AGGREGATE_ATTRIBUTE}" is required (it names the topic)`);
  if (typeof aggregate !== 'string' || !AGGREGATE_PATTERN.test(aggregate)) {
    fail(
      `"${AGGREGATE_ATTRIBUTE}" must be a lower-case name matching ${AGGREGATE_PATTERN}, found ${JSON.stringify(aggregate)}`,
    );
  }

  const schema = stripTroupeAttributes(file) as unknown as AvroRecordSchema;
  try {
    Type.forSchema(schema as unknown as AvscSchema);
  } catch (error) {
    fail(`is not a valid Avro schema: ${(error as Error).message}`);
  }

  const keyField = file[KEY_ATTRIBUTE];
  if (keyField !== undefined) checkKeyField(keyField, schema, fail);

  const topic = topicNames.aggregate(domain, aggregate as string);
  const fullName = `${namespace}.${baseName}`;
  return {
    sourcePath: input.sourcePath,
    domain,
    name: baseName,
    fullName,
    aggregate: aggregate as string,
    ...(keyField === undefined ? {} : { keyField: keyField as string }),
    topic,
    subject: topicNames.subject(topic, fullName),
    schema,
  };
}

/** The key is the aggregate id: always present and a string, so it can be a Kafka key as is. */
function checkKeyField(
  keyField: unknown,
  schema: AvroRecordSchema,
  fail: (problem: string) => never,
): void {
  if (typeof keyField !== 'string')
    fail(`"${KEY_ATTRIBUTE}" must be a field name, found ${JSON.stringify(keyField)}`);
  const field = schema.fields.find((f) => f.name === keyField);
  if (!field)
    fail(`"${KEY_ATTRIBUTE}" names "${String(keyField)}", which is not a top-level field`);
  const type = field?.type;
  const isString =
    type === 'string' ||
    (typeof type === 'object' && type !== null && (type as { type?: unknown }).type === 'string');
  if (!isString) {
    fail(
      `"${KEY_ATTRIBUTE}" field "${String(keyField)}" has type ${JSON.stringify(type)}; the key must be a non-null string`,
    );
  }
}
