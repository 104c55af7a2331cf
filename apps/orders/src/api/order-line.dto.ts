import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';

/** One line of an order. Bounds keep every total a safe integer. */
export class OrderLineDto {
  @ApiProperty({ example: 'SKU-123', maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku!: string;

  @ApiProperty({ minimum: 1, maximum: 10_000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  @ApiProperty({ minimum: 0, maximum: 100_000_000, example: 1999 })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPriceCents!: number;
}
