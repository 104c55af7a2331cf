import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { OutboxWriter } from '@troupe/messaging';
import { OrderCancelled } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { decideCancellation } from '../domain/order-cancellation.policy';
import { Order } from '../persistence/order.entity';

/**
 * Cancels a pending order on request: the row and its OrderCancelled commit together, so
 * payments refunds and inventory releases by the same events as for any other cancellation.
 * The row lock serialises a request with the outcomes other services report.
 */
@Injectable()
export class OrderCancellationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** The order afterwards, and whether this request cancelled it. */
  async cancel(orderId: string, reason: string): Promise<{ order: Order; cancelled: boolean }> {
    return this.dataSource.transaction(async (tx) => {
      const order = await tx.findOne(Order, {
        where: { id: orderId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!order) throw new NotFoundException(`order ${orderId} not found`);
      const decision = decideCancellation(order, reason);
      if (decision.kind === 'already-cancelled') return { order, cancelled: false };
      if (decision.kind === 'conflict')
        throw new ConflictException(
          `order ${orderId} is ${decision.status}${decision.cancelReason ? ` (${decision.cancelReason})` : ''}, not PENDING`,
        );
      await tx.update(Order, { id: orderId }, decision.transition);
      await this.outbox.add(tx, OrderCancelled.of({ orderId, reason }));
      const cancelled = await tx.findOneByOrFail(Order, { id: orderId });
      return { order: cancelled, cancelled: true };
    });
  }
}
