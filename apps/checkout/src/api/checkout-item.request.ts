import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';

export class CheckoutItemRequest {
  @ApiProperty({ example: 'sku-espresso-beans' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  @ApiProperty({ example: 1299, minimum: 0, description: 'Unit price in cents' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPriceCents!: number;
}
