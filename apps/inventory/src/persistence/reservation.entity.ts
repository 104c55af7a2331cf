import type { StockLine } from '@troupe/schemas';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED';

/** What inventory decided for one order (one row per order). */
@Entity({ name: 'reservations' })
export class Reservation {
  @PrimaryColumn('text', { name: 'order_id' })
  orderId!: string;

  @Column('text')
  status!: ReservationStatus;

  /** The order's demand per SKU. */
  @Column('jsonb')
  items!: StockLine[];

  /** Why it was rejected, for REJECTED reservations. */
  @Column('text', { nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
