import { ApiProperty } from '@nestjs/swagger';
import type { Payment, PaymentStatus } from '../persistence/payment.entity';

/** The payment of an order, as the API shows it. */
export class PaymentResponseDto {
  @ApiProperty()
  orderId!: string;

  @ApiProperty({ format: 'uuid' })
  paymentId!: string;

  @ApiProperty({ enum: ['AUTHORIZED', 'FAILED', 'REFUNDED'] })
  status!: PaymentStatus;

  @ApiProperty()
  amountCents!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the bank declined, for FAILED payments.',
  })
  reason!: string | null;

  static from(payment: Payment): PaymentResponseDto {
    return {
      orderId: payment.orderId,
      paymentId: payment.id,
      status: payment.status,
      amountCents: payment.amountCents,
      reason: payment.reason,
    };
  }
}
