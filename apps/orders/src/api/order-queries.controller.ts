import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from '../persistence/order.entity';
import { ListOrdersQuery, ORDER_CURSOR } from './list-orders.query';
import { OrderPageDto } from './order-page.dto';
import { OrderResponseDto } from './order-response.dto';

/**
 * Orders by state and time, for the platform's own jobs (the scheduler's deadline monitor and
 * reconciliation), so nobody reads the orders table but orders itself.
 */
@ApiTags('orders')
@Controller('orders')
export class OrderQueriesController {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}

  @Get()
  @ApiOperation({ summary: 'Orders matching every filter given, oldest first, a page at a time' })
  @ApiOkResponse({ type: OrderPageDto })
  @ApiBadRequestResponse({ description: 'A filter is invalid (problem+json naming it).' })
  async list(@Query() query: ListOrdersQuery): Promise<OrderPageDto> {
    const limit = query.limit ?? 100;
    const qb = this.orders
      .createQueryBuilder('o')
      .addSelect(
        `to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        'cursor_at',
      )
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.placedFrom)
      qb.andWhere('o.created_at >= :placedFrom', { placedFrom: query.placedFrom });
    if (query.placedBefore)
      qb.andWhere('o.created_at < :placedBefore', { placedBefore: query.placedBefore });
    if (query.updatedFrom)
      qb.andWhere('o.updated_at >= :updatedFrom', { updatedFrom: query.updatedFrom });
    if (query.updatedBefore)
      qb.andWhere('o.updated_at < :updatedBefore', { updatedBefore: query.updatedBefore });
    if (query.ids) qb.andWhere('o.id IN (:...ids)', { ids: query.ids.length ? query.ids : [null] });
    const cursor = query.after ? ORDER_CURSOR.exec(query.after) : null;
    if (cursor)
      qb.andWhere(
        '(o.created_at, o.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        {
          afterAt: cursor[1],
          afterId: cursor[2],
        },
      );
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_at: string }>();
    const page = entities.slice(0, limit);
    const more = entities.length > limit;
    return {
      items: page.map(OrderResponseDto.from),
      next: more ? `${raw[limit - 1].cursor_at}_${page[limit - 1].id}` : null,
    };
  }
}
