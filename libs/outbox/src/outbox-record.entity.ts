import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One event waiting in (or already sent from) a service's outbox. Written in the business
 * transaction by {@link OutboxWriter}; published and stamped by {@link OutboxRelay}. Published
 * rows stay for the retention window: they are the compensation app's replay source.
 */
@Entity({ name: 'outbox' })
export class OutboxRecord {
  /** The event id (UUIDv7), also the ce_id header. */
  @PrimaryColumn('uuid')
  id!: string;

  /** Publication order: assigned at insert under a per-key lock, so per key it follows commit order. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('text')
  topic!: string;

  @Column('text', { nullable: true })
  key!: string | null;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  /** Confluent-framed Avro: magic byte, schema id, body. */
  @Column('bytea')
  payload!: Buffer;

  @Column('jsonb')
  headers!: Record<string, string>;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  /** Not published before this time (delayed events); null means at once. */
  @Column('timestamptz', { name: 'deliver_at', nullable: true })
  deliverAt!: Date | null;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  /** Publish attempts so far (failed ones included). */
  @Column('int')
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  /** Set when the broker refused the row for good; the relay skips it (and later rows of its key) until released. */
  @Column('timestamptz', { name: 'quarantined_at', nullable: true })
  quarantinedAt!: Date | null;

  /** Why the row was quarantined, e.g. `MESSAGE_TOO_LARGE: ...`. */
  @Column('text', { name: 'quarantine_reason', nullable: true })
  quarantineReason!: string | null;
}
