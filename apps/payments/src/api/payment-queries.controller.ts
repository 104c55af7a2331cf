import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Payment } from '../persistence/payment.entity';
import { ListPaymentsQuery, PAYMENT_CURSOR } from './list-payments.query';
import { PaymentPageDto } from './payment-page.dto';
import { PaymentResponseDto } from './payment-response.dto';

/** Payments by state and time, for the platform's own jobs (the scheduler's reconciliation). */
@ApiTags('payments')
@Controller('payments')
export class PaymentQueriesController {
  constructor(@InjectRepository(Payment) private readonly payments: Repository<Payment>) {}

  @Get()
  @ApiOperation({ summary: 'Payments matching every filter given, oldest first, a page at a time' })
  @ApiOkResponse({ type: PaymentPageDto })
  @ApiBadRequestResponse({ description: 'A filter is invalid (problem+json naming it).' })
  async list(@Query() query: ListPaymentsQuery): Promise<PaymentPageDto> {
    const limit = query.limit ?? 100;
    const qb = this.payments
      .createQueryBuilder('p')
      .addSelect(
        `to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        'cursor_at',
      )
      .orderBy('p.created_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.createdFrom)
      qb.andWhere('p.created_at >= :createdFrom', { createdFrom: query.createdFrom });
    if (query.createdBefore)
      qb.andWhere('p.created_at < :createdBefore', { createdBefore: query.createdBefore });
    if (query.orderIds)
      qb.andWhere('p.order_id IN (:...orderIds)', {
        orderIds: query.orderIds.length ? query.orderIds : [null],
      });
    const cursor = query.after ? PAYMENT_CURSOR.exec(query.after) : null;
    if (cursor)
      qb.andWhere(
        '(p.created_at, p.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        {
          afterAt: cursor[1],
          afterId: cursor[2],
        },
      );
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_at: string }>();
    const page = entities.slice(0, limit);
    return {
      items: page.map(PaymentResponseDto.from),
      next: entities.length > limit ? `${raw[limit - 1].cursor_at}_${page[limit - 1].id}` : null,
    };
  }
}
