import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { NotificationRecord } from './notification.entity';

/** Reads and writes notification rows; writes take the handler's transaction. */
@Injectable()
export class NotificationRepository {
  constructor(
    @InjectRepository(NotificationRecord) private readonly rows: Repository<NotificationRecord>,
  ) {}

  /** Inserts the row unless one for its event exists; true when this call inserted it. */
  async insertOnce(tx: EntityManager, record: NotificationRecord): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(NotificationRecord)
      .values(record)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** The customer an earlier notification about the order named, if any. */
  async customerOf(tx: EntityManager, orderId: string): Promise<string | null> {
    const row = await tx.getRepository(NotificationRecord).findOne({
      where: { orderId, customerId: Not(IsNull()) },
      select: { customerId: true },
      order: { occurredAt: 'ASC' },
    });
    return row?.customerId ?? null;
  }

  async list(filter: { orderId?: string; limit: number }): Promise<NotificationRecord[]> {
    return this.rows.find({
      where: filter.orderId ? { orderId: filter.orderId } : {},
      order: { occurredAt: 'ASC', sentAt: 'ASC' },
      take: filter.limit,
    });
  }
}
