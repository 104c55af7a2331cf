import { Body, Controller, Get, NotFoundException, Param, Put, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Repository } from 'typeorm';
import { StockItem } from '../persistence/stock-item.entity';
import { SetStockDto } from './set-stock.dto';
import { SkuParams } from './sku.params';
import { StockResponseDto } from './stock-response.dto';

@ApiTags('stock')
@Controller('stock')
export class StockController {
  constructor(@InjectRepository(StockItem) private readonly stock: Repository<StockItem>) {}

  /** Sets what is available (reservations already made stay reserved). */
  @Put(':sku')
  @ApiCreatedResponse({ type: StockResponseDto, description: 'A new SKU.' })
  @ApiOkResponse({
    type: StockResponseDto,
    description: 'The SKU’s available quantity was replaced.',
  })
  @ApiBadRequestResponse({
    description: 'Invalid SKU or quantity (problem+json naming the field).',
  })
  async set(
    @Param() { sku }: SkuParams,
    @Body() { available }: SetStockDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StockResponseDto> {
    const { raw } = await this.stock
      .createQueryBuilder()
      .insert()
      .values({ sku, available, reserved: 0 })
      .orUpdate(['available', 'updated_at'], ['sku'])
      .returning('sku, available, reserved, (xmax = 0) AS inserted')
      .execute();
    const [row] = raw as Array<{
      sku: string;
      available: number;
      reserved: number;
      inserted: boolean;
    }>;
    response.status(row.inserted ? 201 : 200);
    return StockResponseDto.from(row);
  }

  @Get(':sku')
  @ApiOkResponse({ type: StockResponseDto })
  @ApiNotFoundResponse({ description: 'No stock was ever set for this SKU.' })
  async get(@Param() { sku }: SkuParams): Promise<StockResponseDto> {
    const item = await this.stock.findOneBy({ sku });
    if (!item) throw new NotFoundException(`no stock for sku ${sku}`);
    return StockResponseDto.from(item);
  }
}
