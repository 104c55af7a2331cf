import type { OrderLine } from '@troupe/schemas';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrderStatus } from '../domain/order-lifecycle.policy';

/** An order as the orders service keeps it; its lines are a JSON array. */
@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'customer_id' })
  customerId!: string;

  @Column('text')
  status!: OrderStatus;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason!: string | null;

  @Column('jsonb')
  items!: OrderLine[];

  /** bigint comes back from pg as a string; totals stay far below 2^53. */
  @Column('bigint', {
    name: 'total_cents',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  totalCents!: number;

  /** The client's Idempotency-Key, unique: a repeated POST finds the order it made. */
  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
