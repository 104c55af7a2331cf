import { TroupeError } from './troupe.error';

/** An event that does not match its own schema: a programming error, never retried. */
export class SchemaViolationError extends TroupeError {
  constructor(
    readonly eventType: string,
    readonly invalidPaths: string[],
  ) {
    super('schema-violation', `${eventType} does not match its schema at: ${invalidPaths.join(', ')}`, false);
  }
}

/** The registry refused a schema (incompatible with what is registered, or malformed). */
export class SchemaRejectedError extends TroupeError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('schema-rejected', `schema registry refused: ${detail}`, false, options);
  }
}
