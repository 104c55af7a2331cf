import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Post,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import type { Response } from 'express';
import { CheckoutService } from '../domain/checkout.service';
import { CheckoutAccepted, CheckoutState } from '../domain/checkout.results';
import { CheckoutRequest } from './checkout.request';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyOf } from './idempotency-key';
import { UpstreamErrorFilter } from './upstream-error.filter';

@ApiTags('checkout')
@Controller('checkout')
@UseFilters(UpstreamErrorFilter)
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Place an order; payment, stock and shipping follow by events' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Forwarded to the orders service: the same key places the order once. Without one, checkout makes one up; either way it comes back in the Idempotency-Key response header.',
  })
  @ApiAcceptedResponse({
    description:
      '{orderId, status, links}; Location: /checkout/{orderId}; Idempotency-Key: the key it was placed with',
  })
  @ApiBadRequestResponse({ description: 'Problem details naming each invalid field' })
  @ApiServiceUnavailableResponse({
    description:
      'The orders service is unreachable or unavailable; Retry-After, and the key to repeat the request with (problem field idempotencyKey)',
  })
  @ApiGatewayTimeoutResponse({
    description:
      'The orders service did not answer in time; the order may have been placed: repeat with the same Idempotency-Key after Retry-After',
  })
  @ApiBadGatewayResponse({ description: 'The orders service failed; repeat with the same key' })
  async place(
    @Body() request: CheckoutRequest,
    @Headers(IDEMPOTENCY_KEY_HEADER) header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CheckoutAccepted> {
    const idempotencyKey = idempotencyKeyOf(header);
    // Set before the call: the upstream error filter reads it from here.
    response.setHeader(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
    const result = await this.checkout.place(
      { customerId: request.customerId, items: request.items.map((item) => ({ ...item })) },
      idempotencyKey,
    );
    if (!('orderId' in result)) {
      const { title, detail, errors } = result.problem;
      throw new HttpException(
        {
          error: title ?? 'Refused by the orders service',
          message: detail ?? `orders answered ${result.status}`,
          ...(errors ? { errors } : {}),
        },
        result.status,
      );
    }
    response.location(result.links.self);
    return result;
  }

  @Get(':orderId')
  @ApiOperation({
    summary: 'The order with its payment, stock reservation and shipment (null while missing)',
  })
  @ApiOkResponse({ description: '{orderId, order, payment, stock, shipment, unavailable}' })
  @ApiNotFoundResponse({ description: 'The orders service does not know the order' })
  async view(@UuidParam('orderId') orderId: string): Promise<CheckoutState> {
    const state = await this.checkout.state(orderId);
    if (!state) throw new NotFoundException(`no order ${orderId}`);
    return state;
  }
}
