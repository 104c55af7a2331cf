import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Shipment } from '../persistence/shipment.entity';
import { ShipmentResponseDto } from './shipment-response.dto';

@ApiTags('shipments')
@Controller('shipments')
export class ShipmentsController {
  constructor(@InjectRepository(Shipment) private readonly shipments: Repository<Shipment>) {}

  @Get('by-order/:orderId')
  @ApiOkResponse({
    type: ShipmentResponseDto,
    description: 'SCHEDULED, or WAITING for the payment or the stock.',
  })
  @ApiNotFoundResponse({ description: 'Shipping has heard nothing of this order (yet).' })
  async byOrder(@UuidParam('orderId') orderId: string): Promise<ShipmentResponseDto> {
    const shipment = await this.shipments.findOneBy({ orderId });
    if (!shipment) throw new NotFoundException(`no shipment for order ${orderId}`);
    return ShipmentResponseDto.from(shipment);
  }
}
