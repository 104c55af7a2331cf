import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'Only the notifications about this order' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  orderId?: string;

  @ApiPropertyOptional({
    description: 'Most rows returned (oldest first); default and ceiling: NOTIFICATIONS_PAGE_LIMIT',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}
