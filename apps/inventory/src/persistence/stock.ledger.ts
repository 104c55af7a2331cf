import { Injectable } from '@nestjs/common';
import { RetriableError } from '@troupe/messaging';
import type { StockLine } from '@troupe/schemas';
import { EntityManager } from 'typeorm';
import { StockItem } from './stock-item.entity';

/**
 * Moves stock between available and reserved inside the caller's transaction. Rows are always
 * locked in SKU byte order (COLLATE "C", the order demandOf sorts in), so concurrent
 * reservations and releases of overlapping SKUs queue instead of deadlocking.
 */
@Injectable()
export class StockLedger {
  /** Locks the stock rows of these SKUs until the transaction ends; returns what is available per SKU. */
  async lock(tx: EntityManager, skus: readonly string[]): Promise<Map<string, number>> {
    if (skus.length === 0) return new Map();
    const rows = await tx
      .createQueryBuilder(StockItem, 'stock')
      .where('stock.sku IN (:...skus)', { skus })
      .orderBy('stock.sku COLLATE "C"')
      .setLock('pessimistic_write')
      .getMany();
    return new Map(rows.map((row) => [row.sku, row.available]));
  }

  /** Available → reserved. The rows must be locked and hold enough (decideReservation said so). */
  async reserve(tx: EntityManager, demand: readonly StockLine[]): Promise<void> {
    for (const { sku, quantity } of demand) {
      const result = await tx
        .createQueryBuilder()
        .update(StockItem)
        .set({ available: () => 'available - :quantity', reserved: () => 'reserved + :quantity' })
        .where('sku = :sku AND available >= :quantity', { sku, quantity })
        .execute();
      if (result.affected !== 1)
        throw new RetriableError(`stock of ${sku} is short after all: cannot reserve ${quantity}`, {
          code: 'stock-short',
        });
    }
  }

  /** Reserved → available again. The rows must be locked. */
  async release(tx: EntityManager, demand: readonly StockLine[]): Promise<void> {
    for (const { sku, quantity } of demand) {
      await tx
        .createQueryBuilder()
        .update(StockItem)
        .set({ available: () => 'available + :quantity', reserved: () => 'reserved - :quantity' })
        .where('sku = :sku', { sku, quantity })
        .execute();
    }
  }
}
