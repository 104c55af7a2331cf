import { ApiProperty } from '@nestjs/swagger';

/** The stock of one SKU. */
export class StockResponseDto {
  @ApiProperty()
  sku!: string;

  @ApiProperty({ description: 'What can still be reserved.' })
  available!: number;

  @ApiProperty({ description: 'What is reserved for orders.' })
  reserved!: number;

  static from(row: { sku: string; available: number; reserved: number }): StockResponseDto {
    return { sku: row.sku, available: row.available, reserved: row.reserved };
  }
}
