import { SchemaFileError } from './schema-file.error';

/** Every problem found in schemas/, so one run reports all of them rather than the first. */
export class InvalidSchemaFilesError extends Error {
  readonly code = 'SCHEMA_FILES_INVALID';

  constructor(readonly problems: readonly SchemaFileError[]) {
    super(
      `${problems.length} invalid schema file(s):\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    );
    this.name = 'InvalidSchemaFilesError';
  }
}
