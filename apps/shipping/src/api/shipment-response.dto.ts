import { ApiProperty } from '@nestjs/swagger';
import type { ShipmentStatus } from '../domain/shipment.policy';
import type { Shipment } from '../persistence/shipment.entity';

/** An order's shipment, or what shipping is still waiting for. */
export class ShipmentResponseDto {
  @ApiProperty()
  orderId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set once SCHEDULED.' })
  shipmentId!: string | null;

  @ApiProperty({ enum: ['WAITING', 'SCHEDULED'] })
  status!: ShipmentStatus;

  @ApiProperty({ description: 'The payment is authorized.' })
  paymentSeen!: boolean;

  @ApiProperty({ description: 'The stock is reserved.' })
  stockSeen!: boolean;

  static from(shipment: Shipment): ShipmentResponseDto {
    return {
      orderId: shipment.orderId,
      shipmentId: shipment.shipmentId,
      status: shipment.status,
      paymentSeen: shipment.paymentSeen,
      stockSeen: shipment.stockSeen,
    };
  }
}
