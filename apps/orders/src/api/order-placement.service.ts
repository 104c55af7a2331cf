import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { CommitBatcher, OutboxWriter } from '@troupe/messaging';
import { OrderPlaced } from '@troupe/schemas';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, QueryFailedError } from 'typeorm';
import { isSameOrder, orderTotalCents } from '../domain/order-lines.policy';
import { Order } from '../persistence/order.entity';
import { PlaceOrderDto } from './place-order.dto';

interface Placement {
  order: Order;
  request: PlaceOrderDto;
}

type PlacementResult =
  | { outcome: 'created'; order: Order }
  | { outcome: 'replayed'; order: Order }
  | { outcome: 'key-reused' };

/**
 * Places orders: each row and its OrderPlaced commit together. With an Idempotency-Key a
 * repeated request gets the order the first one made, and no second event; requests racing
 * with one key wait on the key's unique index for the first one's transaction, then find it.
 *
 * Placements that arrive together are written together (group commit, see CommitBatcher): one
 * transaction of four statements (BEGIN, one INSERT … ON CONFLICT (idempotency_key) DO NOTHING
 * for every order, one outbox write for every event, COMMIT) places a whole burst's worth, and
 * at most two such transactions hold connections at once. Measured in docs/benchmarks.md: one
 * transaction per order spent 95 % of a burst's time queued for the pool.
 */
@Injectable()
export class OrderPlacementService {
  private readonly batcher = new CommitBatcher<Placement, PlacementResult>(
    (batch) => this.write(batch),
    {
      // A statement the server refused rolled the whole batch back: each order can be tried alone.
      retryAlone: (error) => error instanceof QueryFailedError,
    },
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async place(
    request: PlaceOrderDto,
    idempotencyKey?: string,
  ): Promise<{ order: Order; created: boolean }> {
    const items = request.items.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPriceCents,
    }));
    const order = this.dataSource.manager.create(Order, {
      id: randomUUID(),
      customerId: request.customerId,
      status: 'PENDING',
      cancelReason: null,
      items,
      totalCents: orderTotalCents(items),
      idempotencyKey: idempotencyKey ?? null,
    });
    const result = await this.batcher.submit({ order, request });
    if (result.outcome === 'key-reused')
      throw new UnprocessableEntityException(
        'Idempotency-Key was already used for a different order',
      );
    return { order: result.order, created: result.outcome === 'created' };
  }

  private write(batch: Placement[]): Promise<PlacementResult[]> {
    return this.dataSource.transaction(async (tx) => {
      const created = await this.insertUnlessKeyExists(tx, batch);
      const replays = batch
        .filter((p) => !created.has(p.order.id))
        .map((p) => p.order.idempotencyKey!);
      const earlier = new Map(
        (replays.length > 0 ? await tx.findBy(Order, { idempotencyKey: In(replays) }) : []).map(
          (o) => [o.idempotencyKey, o],
        ),
      );
      const placed = batch
        .filter((p) => created.has(p.order.id))
        .map((p) => Object.assign(p.order, created.get(p.order.id)));
      if (placed.length > 0) {
        await this.outbox.addAll(
          tx,
          placed.map((order) => ({
            event: OrderPlaced.of({
              orderId: order.id,
              customerId: order.customerId,
              items: order.items,
              totalCents: order.totalCents,
              placedAt: order.createdAt.getTime(),
            }),
          })),
        );
      }
      return batch.map(({ order, request }): PlacementResult => {
        if (created.has(order.id)) return { outcome: 'created', order };
        const first = earlier.get(order.idempotencyKey);
        if (!first)
          throw new Error(
            `order with Idempotency-Key ${order.idempotencyKey} was neither inserted nor found`,
          );
        return isSameOrder(first, request)
          ? { outcome: 'replayed', order: first }
          : { outcome: 'key-reused' };
      });
    });
  }

  /**
   * One INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING for the whole batch; the
   * orders it inserted, by id, with their timestamps. Rows go in key order, so two batches that
   * share keys wait for each other in the same order and cannot deadlock. (An empty overwrite
   * list makes TypeORM's upsert a DO NOTHING on exactly that target: a clash on anything else
   * still throws.)
   */
  private async insertUnlessKeyExists(
    tx: EntityManager,
    batch: Placement[],
  ): Promise<Map<string, Pick<Order, 'createdAt' | 'updatedAt'>>> {
    const rows = batch
      .map((p) => p.order)
      .sort((a, b) => (a.idempotencyKey ?? '').localeCompare(b.idempotencyKey ?? ''));
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(Order)
      .values(rows)
      .orUpdate([], ['idempotency_key'])
      .returning(['id', 'createdAt', 'updatedAt'])
      .updateEntity(false)
      .execute();
    const inserted = result.raw as Array<{ id: string; created_at: Date; updated_at: Date }>;
    return new Map(
      inserted.map((row) => [row.id, { createdAt: row.created_at, updatedAt: row.updated_at }]),
    );
  }
}
