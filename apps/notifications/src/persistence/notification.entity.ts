import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NotificationKind } from '../domain/notification-message';

/** One sent notification; at most one per event (event_id is unique). */
@Entity({ name: 'notifications' })
export class NotificationRecord {
  @PrimaryColumn('uuid')
  id!: string;

  /** The event that caused it. */
  @Column('uuid', { name: 'event_id', unique: true })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('text', { name: 'order_id' })
  orderId!: string;

  @Column('text', { name: 'customer_id', nullable: true })
  customerId!: string | null;

  @Column('text')
  kind!: NotificationKind;

  @Column('text')
  recipient!: string;

  @Column('text')
  channel!: string;

  @Column('text')
  subject!: string;

  @Column('text')
  body!: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('timestamptz', { name: 'sent_at' })
  sentAt!: Date;
}
