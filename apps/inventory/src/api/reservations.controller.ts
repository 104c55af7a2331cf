import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@troupe/messaging';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Reservation } from '../persistence/reservation.entity';
import { ReservationResponseDto } from './reservation-response.dto';

@ApiTags('reservations')
@Controller('reservations')
export class ReservationsController {
  constructor(
    @InjectRepository(Reservation) private readonly reservations: Repository<Reservation>,
  ) {}

  @Get('by-order/:orderId')
  @ApiOkResponse({ type: ReservationResponseDto })
  @ApiNotFoundResponse({ description: 'Inventory has not seen this order (yet).' })
  async byOrder(@UuidParam('orderId') orderId: string): Promise<ReservationResponseDto> {
    const reservation = await this.reservations.findOneBy({ orderId });
    if (!reservation) throw new NotFoundException(`no reservation for order ${orderId}`);
    return ReservationResponseDto.from(reservation);
  }
}
