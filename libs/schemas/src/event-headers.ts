/**
 * Kafka header names of every Troupe event, the only place they are written down. They follow
 * the CloudEvents Kafka protocol binding (binary mode) so other tooling can read them; the
 * correlation and causation ids are CloudEvents extension attributes, traceparent is W3C's.
 */
export const HEADER = {
  eventId: 'ce_id',
  eventType: 'ce_type',
  source: 'ce_source',
  occurredAt: 'ce_time',
  specVersion: 'ce_specversion',
  contentType: 'content-type',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  traceparent: 'traceparent',
} as const;

/** Headers a message must carry to be handled; one missing is a dead letter. */
export const REQUIRED_HEADERS = [HEADER.eventId, HEADER.eventType, HEADER.occurredAt] as const;

/** Headers Troupe adds when it dead-letters a message (the original headers are kept). */
export const DEAD_LETTER_HEADER = {
  topic: 'troupe-dlq-topic',
  partition: 'troupe-dlq-partition',
  offset: 'troupe-dlq-offset',
  key: 'troupe-dlq-key',
  group: 'troupe-dlq-group',
  errorCode: 'troupe-dlq-error-code',
  errorMessage: 'troupe-dlq-error-message',
  attempts: 'troupe-dlq-attempts',
  firstFailureAt: 'troupe-dlq-first-failure-at',
  lastFailureAt: 'troupe-dlq-last-failure-at',
  /** Set when the copy was refused with its value (too large): the value is at topic/partition/offset. */
  valueOmitted: 'troupe-dlq-value-omitted',
} as const;

/**
 * Headers the compensation app adds when it re-delivers an event to one group through the
 * group's replay topic (the original headers are kept).
 */
export const REPLAY_HEADER = {
  /** The replay (or redrive) this copy belongs to: a reprocessed event is applied once per replay. */
  id: 'troupe-replay-id',
  /** 'missed' (default: the inbox skips what the group has) or 'reprocess' (applied again). */
  mode: 'troupe-replay-mode',
  /** Where the event was read from: the original topic, partition and offset. */
  sourceTopic: 'troupe-replay-source-topic',
  sourcePartition: 'troupe-replay-source-partition',
  sourceOffset: 'troupe-replay-source-offset',
  /** How many times this event was redriven from a dead-letter topic. */
  redriveCount: 'troupe-redrive-count',
} as const;

export type ReplayMode = 'missed' | 'reprocess';

export const CE_SPEC_VERSION = '1.0';
export const AVRO_CONTENT_TYPE = 'application/avro';
