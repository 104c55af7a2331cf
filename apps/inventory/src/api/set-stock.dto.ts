import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** Body of PUT /stock/:sku: the quantity that can be reserved from now on. */
export class SetStockDto {
  @ApiProperty({ minimum: 0, maximum: 1_000_000_000, example: 10 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  available!: number;
}
