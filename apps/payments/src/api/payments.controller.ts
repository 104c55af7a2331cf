import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Payment } from '../persistence/payment.entity';
import { PaymentResponseDto } from './payment-response.dto';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(@InjectRepository(Payment) private readonly payments: Repository<Payment>) {}

  @Get('by-order/:orderId')
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiNotFoundResponse({ description: 'No payment for this order (yet).' })
  async byOrder(@UuidParam('orderId') orderId: string): Promise<PaymentResponseDto> {
    const payment = await this.payments.findOneBy({ orderId });
    if (!payment) throw new NotFoundException(`no payment for order ${orderId}`);
    return PaymentResponseDto.from(payment);
  }
}
