import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OutboxWriter } from '@troupe/messaging';
import { OrderPlaced } from '@troupe/schemas';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { isSameOrder, orderTotalCents } from '../domain/order-lines.policy';
import { Order } from '../persistence/order.entity';
import { PlaceOrderDto } from './place-order.dto';

/**
 * Places an order: the row and its OrderPlaced commit together. With an Idempotency-Key a
 * repeated request gets the order the first one made, and no second event; two requests racing
 * with the same key are told apart by the key's unique constraint.
 */
@Injectable()
export class OrderPlacementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @InjectRepository(Order) private readonly orders: Repository<Order>,
  ) {}

  async place(
    request: PlaceOrderDto,
    idempotencyKey?: string,
  ): Promise<{ order: Order; created: boolean }> {
    if (idempotencyKey !== undefined) {
      const earlier = await this.orders.findOneBy({ idempotencyKey });
      if (earlier) return { order: this.replay(earlier, request), created: false };
    }
    try {
      return { order: await this.insert(request, idempotencyKey ?? null), created: true };
    } catch (error) {
      if (idempotencyKey === undefined || !isIdempotencyKeyClash(error)) throw error;
      const winner = await this.orders.findOneByOrFail({ idempotencyKey });
      return { order: this.replay(winner, request), created: false };
    }
  }

  private insert(request: PlaceOrderDto, idempotencyKey: string | null): Promise<Order> {
    const items = request.items.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPriceCents,
    }));
    return this.dataSource.transaction(async (tx) => {
      const order = tx.create(Order, {
        id: randomUUID(),
        customerId: request.customerId,
        status: 'PENDING',
        cancelReason: null,
        items,
        totalCents: orderTotalCents(items),
        idempotencyKey,
      });
      await tx.insert(Order, order);
      await this.outbox.add(
        tx,
        OrderPlaced.of({
          orderId: order.id,
          customerId: order.customerId,
          items,
          totalCents: order.totalCents,
          placedAt: order.createdAt.getTime(),
        }),
      );
      return order;
    });
  }

  private replay(earlier: Order, request: PlaceOrderDto): Order {
    if (!isSameOrder(earlier, request))
      throw new UnprocessableEntityException(
        'Idempotency-Key was already used for a different order',
      );
    return earlier;
  }
}

function isIdempotencyKeyClash(error: unknown): boolean {
  const cause =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string; constraint?: string })
      : undefined;
  return cause?.code === '23505' && cause.constraint === 'orders_idempotency_key_unique';
}
