import { DataSource } from 'typeorm';
import { taskTables } from '../store/task-tables';

/**
 * A token bucket per name in PostgreSQL, so every worker replica draws from the same budget:
 * `limit` units per `intervalMs`, bursts up to `limit`. take() waits until its units are free.
 */
export class RateLimiter {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    this.table = taskTables(dataSource).rateLimits;
  }

  async take(
    name: string,
    units: number,
    limit: { limit: number; intervalMs: number },
    signal?: AbortSignal,
  ): Promise<void> {
    if (!(units > 0) || units > limit.limit)
      throw new Error(`rate limit ${name}: units must be in (0, ${limit.limit}], got ${units}`);
    const perMs = limit.limit / limit.intervalMs;
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = await this.tryTake(name, units, limit.limit, perMs);
      if (waitMs === 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, 1000)));
    }
  }

  /** Takes the units now and returns 0, or returns how long until they would be there. */
  private async tryTake(
    name: string,
    units: number,
    capacity: number,
    perMs: number,
  ): Promise<number> {
    const [row] = await this.dataSource.query(
      `INSERT INTO ${this.table} AS b (name, tokens, refilled_at) VALUES ($1, $2::float8 - $3::float8, clock_timestamp())
       ON CONFLICT (name) DO UPDATE SET
         tokens = least($2::float8, b.tokens + extract(epoch FROM clock_timestamp() - b.refilled_at) * 1000 * $4::float8) - $3::float8,
         refilled_at = clock_timestamp()
       WHERE least($2::float8, b.tokens + extract(epoch FROM clock_timestamp() - b.refilled_at) * 1000 * $4::float8) >= $3::float8
       RETURNING tokens`,
      [name, capacity, units, perMs],
    );
    if (row) return 0;
    const [bucket] = await this.dataSource.query(
      `SELECT least($2::float8, tokens + extract(epoch FROM clock_timestamp() - refilled_at) * 1000 * $3::float8) AS available
         FROM ${this.table} WHERE name = $1`,
      [name, capacity, perMs],
    );
    const missing = units - Number(bucket?.available ?? 0);
    return Math.max(1, Math.ceil(missing / perMs));
  }
}
