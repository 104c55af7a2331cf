import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NotificationKind } from '../domain/notification-message';
import { NotificationRecord } from '../persistence/notification.entity';

/** A notification as GET /notifications shows it. */
export class NotificationView {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'troupe.orders.OrderPlaced' }) eventType!: string;
  @ApiProperty() orderId!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({
    enum: [
      'order-placed',
      'order-confirmed',
      'order-cancelled',
      'payment-refunded',
      'shipment-scheduled',
    ],
  })
  kind!: NotificationKind;
  @ApiProperty({ example: 'customer:c-42' }) recipient!: string;
  @ApiProperty({ example: 'log' }) channel!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() sentAt!: string;

  static of(record: NotificationRecord): NotificationView {
    return Object.assign(new NotificationView(), {
      ...record,
      occurredAt: record.occurredAt.toISOString(),
      sentAt: record.sentAt.toISOString(),
    });
  }
}
