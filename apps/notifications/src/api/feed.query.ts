import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class FeedQuery {
  @ApiPropertyOptional({ description: 'Only the changes of this order', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orderId?: string;
}
