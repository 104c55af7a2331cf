import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

export class FeedQuery {
  @ApiPropertyOptional({ description: 'Only the changes of this order' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  orderId?: string;
}
