/** Every metric Troupe exports, named in one place (dashboards and alerts use these). */
export const METRIC = {
  eventsPublished: 'troupe_events_published_total',
  eventsConsumed: 'troupe_events_consumed_total',
  handlerDuration: 'troupe_handler_duration_seconds',
  outboxPending: 'troupe_outbox_pending',
  outboxOldestPendingAge: 'troupe_outbox_oldest_pending_age_seconds',
  /** Outbox rows the broker refused for good, set aside until released (gauge). */
  outboxQuarantined: 'troupe_outbox_quarantined',
  /** Rows quarantined so far, by topic and type (counter). */
  outboxQuarantinedTotal: 'troupe_outbox_quarantined_total',
  relayLag: 'troupe_relay_lag_seconds',
  retries: 'troupe_retries_total',
  deadLetters: 'troupe_dead_letters_total',
  deadLetterFailures: 'troupe_dead_letter_failures_total',
  parkedEvents: 'troupe_parked_events',
  consumerRestarts: 'troupe_consumer_restarts_total',
  consumerLagMessages: 'troupe_consumer_lag_messages',
  consumerLagSeconds: 'troupe_consumer_lag_seconds',
} as const;

/** Outcomes of one consumed event (label `outcome` of troupe_events_consumed_total). */
export type ConsumeOutcome = 'handled' | 'duplicate' | 'skipped' | 'failed' | 'dead-lettered';
