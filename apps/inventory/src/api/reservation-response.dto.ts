import { ApiProperty } from '@nestjs/swagger';
import type { Reservation, ReservationStatus } from '../persistence/reservation.entity';

class StockLineDto {
  @ApiProperty()
  sku!: string;

  @ApiProperty()
  quantity!: number;
}

/** What inventory decided for an order. */
export class ReservationResponseDto {
  @ApiProperty()
  orderId!: string;

  @ApiProperty({ enum: ['RESERVED', 'REJECTED', 'RELEASED'] })
  status!: ReservationStatus;

  @ApiProperty({ type: [StockLineDto], description: 'The order’s demand per SKU.' })
  items!: StockLineDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it was rejected, for REJECTED reservations.',
  })
  reason!: string | null;

  static from(reservation: Reservation): ReservationResponseDto {
    return {
      orderId: reservation.orderId,
      status: reservation.status,
      items: reservation.items,
      reason: reservation.reason,
    };
  }
}
