import { TroupeError } from './troupe.error';

export type UndecodableReason =
  | 'not-confluent-framed'
  | 'unknown-schema-id'
  | 'unreadable-schema'
  | 'body-mismatch'
  | 'incompatible-schema'
  | 'missing-headers';

/** Bytes that can never become an event: dead-lettered at once with the reason. */
export class UndecodableMessageError extends TroupeError {
  constructor(
    readonly reason: UndecodableReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`undecodable.${reason}`, `undecodable message (${reason}): ${detail}`, false, options);
  }
}
