import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { CancelOrderDto } from './cancel-order.dto';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderResponseDto } from './order-response.dto';

@ApiTags('orders')
@Controller('orders')
export class OrderCancellationController {
  constructor(private readonly cancellation: OrderCancellationService) {}

  @Post(':orderId/cancel')
  @HttpCode(200)
  @ApiOkResponse({
    type: OrderResponseDto,
    description:
      'The order is CANCELLED: now (OrderCancelled is published), or already by an earlier request with the same reason (nothing is published again).',
  })
  @ApiBadRequestResponse({ description: 'The id is not a UUID, or the body is invalid.' })
  @ApiNotFoundResponse({ description: 'No such order.' })
  @ApiConflictResponse({
    description: 'The order is no longer PENDING (confirmed, or cancelled for another reason).',
  })
  async cancel(
    @UuidParam('orderId') orderId: string,
    @Body() body: CancelOrderDto,
  ): Promise<OrderResponseDto> {
    const { order } = await this.cancellation.cancel(orderId, body.reason);
    return OrderResponseDto.from(order);
  }
}
