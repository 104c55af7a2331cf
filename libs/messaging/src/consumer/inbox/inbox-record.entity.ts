import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event a consumer group has applied; its presence makes a redelivery a no-op. */
@Entity({ name: 'inbox' })
export class InboxRecord {
  @PrimaryColumn('text', { name: 'consumer_group' })
  consumerGroup!: string;

  @PrimaryColumn('uuid', { name: 'event_id' })
  eventId!: string;

  @Column('timestamptz', { name: 'handled_at' })
  handledAt!: Date;

  /** The replay that last re-applied the event (reprocess mode), if any. */
  @Column('uuid', { name: 'replay_id', nullable: true })
  replayId!: string | null;
}
