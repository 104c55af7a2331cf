import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ShipmentStatus } from '../domain/shipment.policy';

/** One order's way to a shipment: what shipping has seen of it, and the shipment once scheduled. */
@Entity({ name: 'shipments' })
export class Shipment {
  @PrimaryColumn('text', { name: 'order_id' })
  orderId!: string;

  /** Set when the shipment is scheduled. */
  @Column('uuid', { name: 'shipment_id', nullable: true })
  shipmentId!: string | null;

  @Column('text')
  status!: ShipmentStatus;

  @Column('boolean', { name: 'payment_seen' })
  paymentSeen!: boolean;

  @Column('boolean', { name: 'stock_seen' })
  stockSeen!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
