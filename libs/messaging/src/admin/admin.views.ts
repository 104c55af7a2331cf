/**
 * What the admin endpoints TroupeModule adds to every service answer (JSON). Times are ISO 8601
 * strings. No view carries an event's payload: only ids, types, places, times and errors.
 */

/** GET /troupe/admin/outbox */
export interface OutboxAdminView {
  service: string;
  /** Unpublished rows that are not quarantined (due or delayed). */
  unpublished: number;
  /** Age of the oldest due unpublished row, seconds (0: none). */
  oldestUnpublishedAgeSeconds: number;
  /** All quarantined rows; `quarantinedRows` lists the oldest of them (at most `limit`). */
  quarantined: number;
  quarantinedRows: QuarantinedRowView[];
}

export interface QuarantinedRowView {
  eventId: string;
  eventType: string;
  topic: string;
  key: string | null;
  quarantinedAt: string;
  reason: string;
  attempts: number;
}

/** POST /troupe/admin/outbox/quarantine/release */
export interface QuarantineReleaseView {
  service: string;
  released: number;
}

/** GET /troupe/admin/trace/:correlationId — this service's part of one flow. */
export interface ServiceTraceView {
  service: string;
  /** The service's consumer groups, with the dead-letter topic each sends to. */
  groups: TraceGroupView[];
  /** Rows of this service's outbox with the correlation id (published or not). */
  published: TracedOutboxRowView[];
  /** Inbox rows of this service's groups for the event ids asked about and those of `parked`. */
  handled: TracedInboxRowView[];
  /** Events with the correlation id waiting in this service's parking lot. */
  parked: TracedParkedEventView[];
}

export interface TraceGroupView {
  /** The declared group. */
  group: string;
  /** The consumer group id (broadcast groups carry the instance id). */
  groupId: string;
  delivery: 'once' | 'broadcast';
  /** The event types the group handles: a flow's event of one of these types is expected in its inbox ('once' groups). */
  eventTypes: string[];
  deadLetterTopic: string;
}

export interface TracedOutboxRowView {
  eventId: string;
  eventType: string;
  topic: string;
  key: string | null;
  causationId: string | null;
  createdAt: string;
  deliverAt: string | null;
  publishedAt: string | null;
  quarantinedAt: string | null;
  quarantineReason: string | null;
  attempts: number;
  lastError: string | null;
}

export interface TracedInboxRowView {
  groupId: string;
  eventId: string;
  handledAt: string;
}

export interface TracedParkedEventView {
  groupId: string;
  eventId: string;
  eventType: string;
  topic: string;
  partition: number;
  offset: string;
  attempts: number;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  nextAttemptAt: string;
  /** Dead-lettered, and its key is held behind it until released. */
  held: boolean;
  parkedAt: string;
}

/** GET /troupe/admin/trace?key=<key> — the flows this service published events of one key in (newest first). */
export interface KeyFlowsView {
  service: string;
  flows: KeyFlowView[];
}

export interface KeyFlowView {
  correlationId: string;
  /** The first of the service's rows of the key in this flow. */
  firstAt: string;
  eventTypes: string[];
}
