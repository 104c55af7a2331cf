import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The stock of one SKU: what can still be reserved, and what is reserved for orders. Neither goes below zero (CHECK). */
@Entity({ name: 'stock' })
export class StockItem {
  @PrimaryColumn('text')
  sku!: string;

  @Column('int')
  available!: number;

  @Column('int')
  reserved!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
