import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type PaymentStatus = 'AUTHORIZED' | 'FAILED' | 'REFUNDED';

/** The payment of one order (at most one per order). */
@Entity({ name: 'payments' })
export class Payment {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'order_id' })
  orderId!: string;

  @Column('text')
  status!: PaymentStatus;

  /** bigint comes back from pg as a string; amounts stay far below 2^53. */
  @Column('bigint', {
    name: 'amount_cents',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  amountCents!: number;

  /** Why the bank declined, for FAILED payments. */
  @Column('text', { nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
