import { ApiProperty } from '@nestjs/swagger';
import { OrderResponseDto } from './order-response.dto';

/** One page of GET /orders. */
export class OrderPageDto {
  @ApiProperty({ type: [OrderResponseDto] })
  items!: OrderResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page.',
  })
  next!: string | null;
}
