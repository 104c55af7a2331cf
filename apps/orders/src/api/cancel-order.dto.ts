import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** Body of POST /orders/:orderId/cancel. */
export class CancelOrderDto {
  @ApiProperty({
    example: 'timeout',
    maxLength: 200,
    description: 'Why the order is cancelled; kept as its cancelReason and sent in OrderCancelled.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'reason must not contain control characters' })
  reason!: string;
}
