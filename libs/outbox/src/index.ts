// The public door of @troupe/outbox: the outbox table, its writer and its relay (and nothing else).
export { OutboxRecord } from './outbox-record.entity';
export { troupeTables, qualified } from './table-names';
export type { TroupeTables } from './table-names';
export { OutboxQuarantine } from './outbox-quarantine';
export type { QuarantinedRow } from './outbox-quarantine';
export { OutboxWriter } from './outbox.writer';
export type { AddOptions, AddedEvent } from './outbox.writer';
export { OutboxRelay, backoff } from './outbox.relay';
export type { RelayState } from './outbox.relay';
export type { OutboxRelayOptions } from './outbox-relay.options';
export type { RelayMessage, RelayPublisher } from './relay-publisher.port';
export { PublishRefusedError } from './publish-refused.error';
export { WakeSignal } from './wake-signal';
export { CommitWake } from './commit-wake';
export { measureOutboxBacklog } from './outbox-backlog';
export type { OutboxBacklog } from './outbox-backlog';
