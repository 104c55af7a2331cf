import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Path parameters naming a SKU. */
export class SkuParams {
  @ApiProperty({ example: 'SKU-123', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, {
    message: 'sku must be 1 to 64 letters, digits, ".", "_", ":" or "-"',
  })
  sku!: string;
}
