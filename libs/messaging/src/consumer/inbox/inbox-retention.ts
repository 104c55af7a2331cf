import { DataSource } from 'typeorm';
import { consumerTables } from '../consumer-tables';

export interface InboxRetentionOptions {
  /** How long inbox rows are kept: the window in which a redelivery is recognised. */
  retentionMs: number;
  /** How often expired rows are deleted. */
  intervalMs: number;
  /** Rows deleted per statement, so one pass never holds long locks. */
  batchSize?: number;
}

/**
 * Deletes inbox rows older than the dedup window. It runs on every replica of every service
 * that has a database, relay or not; several replicas pruning at once only share the work.
 * The window must cover how long a group can be redelivered from its topics (checked at
 * start-up against the topics' retention, see TroupeRuntime).
 */
export class InboxRetention {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: InboxRetentionOptions,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pruneOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns how many rows were deleted. Never runs twice at once in this process. */
  async pruneOnce(): Promise<number> {
    if (this.running) return 0;
    let deleted = 0;
    this.running = (async () => {
      const table = consumerTables(this.dataSource).inbox;
      const batchSize = this.options.batchSize ?? 10_000;
      try {
        for (;;) {
          const [, count] = await this.dataSource.query(
            `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
               SELECT ctid FROM ${table} WHERE handled_at < now() - $1 * interval '1 millisecond' LIMIT $2))`,
            [this.options.retentionMs, batchSize],
          );
          deleted += Number(count);
          if (Number(count) < batchSize) break;
        }
      } catch (error) {
        this.log('inbox retention: pruning failed, trying again next interval', error);
      }
    })();
    await this.running;
    this.running = undefined;
    return deleted;
  }
}
