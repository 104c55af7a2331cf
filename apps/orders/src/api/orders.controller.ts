import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  NotFoundException,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Repository } from 'typeorm';
import { Order } from '../persistence/order.entity';
import { OrderPlacementService } from './order-placement.service';
import { OrderResponseDto } from './order-response.dto';
import { PlaceOrderDto } from './place-order.dto';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placement: OrderPlacementService,
    @InjectRepository(Order) private readonly orders: Repository<Order>,
  ) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Repeating a request with the same key returns the same order (200) and places nothing new.',
  })
  @ApiCreatedResponse({ type: OrderResponseDto, description: 'The order was placed.' })
  @ApiOkResponse({
    type: OrderResponseDto,
    description: 'A repeated request: the order its Idempotency-Key placed.',
  })
  @ApiBadRequestResponse({
    description: 'Invalid body or Idempotency-Key (problem+json naming the fields).',
  })
  @ApiUnprocessableEntityResponse({
    description: 'The Idempotency-Key was used for a different order.',
  })
  async place(
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderResponseDto> {
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey.length === 0 || idempotencyKey.length > 255)
    ) {
      throw new BadRequestException({
        error: 'Bad Request',
        errors: [{ field: 'Idempotency-Key', problems: ['must be 1 to 255 characters'] }],
      });
    }
    const { order, created } = await this.placement.place(body, idempotencyKey);
    response.status(created ? 201 : 200);
    return OrderResponseDto.from(order);
  }

  @Get(':orderId')
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiBadRequestResponse({ description: 'orderId is not a UUID (problem+json naming it).' })
  @ApiNotFoundResponse({ description: 'No such order.' })
  async get(@UuidParam('orderId') orderId: string): Promise<OrderResponseDto> {
    const order = await this.orders.findOneBy({ id: orderId });
    if (!order) throw new NotFoundException(`order ${orderId} not found`);
    return OrderResponseDto.from(order);
  }
}
