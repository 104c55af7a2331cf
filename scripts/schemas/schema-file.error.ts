/** A schema file breaks a Troupe rule or is not valid Avro. The message names the file. */
export class SchemaFileError extends Error {
  readonly code = 'SCHEMA_FILE_INVALID';

  constructor(
    /** Repository-relative path of the offending file. */
    readonly file: string,
    /** What is wrong, phrased to be read after the file name. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'SchemaFileError';
  }
}
