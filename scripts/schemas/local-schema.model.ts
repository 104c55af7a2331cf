import type { AvroRecordSchema } from '../../libs/schemas/src/event-class';

/**
 * One validated `schemas/<domain>/<EventName>.avsc` file and everything derived from it. Every
 * schema tool (gen, verify, check, register) works from these, so they agree on topic, subject
 * and the exact schema text.
 */
export interface LocalSchema {
  /** Repository-relative POSIX path, e.g. `schemas/orders/OrderPlaced.avsc`. */
  readonly sourcePath: string;
  /** The folder name, e.g. `orders`; the namespace is `troupe.<domain>`. */
  readonly domain: string;
  /** The record name, equal to the file's base name, e.g. `OrderPlaced`. */
  readonly name: string;
  /** `<namespace>.<name>`: the event type and the record part of the subject. */
  readonly fullName: string;
  /** From `troupe.aggregate`, e.g. `order`. */
  readonly aggregate: string;
  /** From `troupe.key`: a top-level non-null string field holding the message key. */
  readonly keyField?: string;
  /** `<domain>.<aggregate>.events` (topicNames.aggregate). */
  readonly topic: string;
  /** TopicRecordNameStrategy subject: `<topic>-<fullName>` (topicNames.subject). */
  readonly subject: string;
  /**
   * Pure Avro: the file's JSON without Troupe's attributes, keys in file order. What is
   * registered (as `JSON.stringify(schema)`) and what the generated class carries as `schema`.
   */
  readonly schema: AvroRecordSchema;
}
