import { ApiProperty } from '@nestjs/swagger';
import type { OrderStatus } from '../domain/order-lifecycle.policy';
import type { Order } from '../persistence/order.entity';
import { OrderLineDto } from './order-line.dto';

/** An order as the API shows it. */
export class OrderResponseDto {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty()
  customerId!: string;

  @ApiProperty({ enum: ['PENDING', 'CONFIRMED', 'CANCELLED'] })
  status!: OrderStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the order was cancelled, when it was.',
  })
  cancelReason!: string | null;

  @ApiProperty({ type: [OrderLineDto] })
  items!: OrderLineDto[];

  @ApiProperty()
  totalCents!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(order: Order): OrderResponseDto {
    return {
      orderId: order.id,
      customerId: order.customerId,
      status: order.status,
      cancelReason: order.cancelReason,
      items: order.items.map(({ sku, quantity, unitPriceCents }) => ({
        sku,
        quantity,
        unitPriceCents,
      })),
      totalCents: order.totalCents,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
    };
  }
}
