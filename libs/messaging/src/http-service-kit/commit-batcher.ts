/** Settings of a {@link CommitBatcher}. */
export interface CommitBatcherOptions {
  /** Most items written by one batch. Default 50. */
  maxBatchSize?: number;
  /**
   * Batches in flight at once; each holds one database connection while it runs, so this also
   * bounds the share of the pool the batcher's writers can take from the service's consumers.
   * Default 2.
   */
  maxConcurrentBatches?: number;
  /**
   * Whether a batch that failed as a whole may be written again one item at a time, so that one
   * bad item fails only itself. Only for errors after which nothing of the batch can have been
   * committed (the server refused a statement); never for a connection lost around COMMIT.
   * Default: never.
   */
  retryAlone?: (error: unknown) => boolean;
}

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: callers submit items one at a time; the items that arrive while earlier batches
 * are running are written together by the next one (`write` gets them in submission order and
 * returns one result per item, same order). There is no timer: an item submitted while a batch
 * slot is free is written at once, so an idle service pays nothing for batching, and a burst of
 * N concurrent callers costs about N / maxBatchSize transactions instead of N.
 */
export class CommitBatcher<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private readonly maxBatchSize: number;
  private readonly maxConcurrentBatches: number;
  private readonly retryAlone: (error: unknown) => boolean;
  private running = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    options: CommitBatcherOptions = {},
  ) {
    this.maxBatchSize = positiveInteger('maxBatchSize', options.maxBatchSize ?? 50);
    this.maxConcurrentBatches = positiveInteger(
      'maxConcurrentBatches',
      options.maxConcurrentBatches ?? 2,
    );
    this.retryAlone = options.retryAlone ?? (() => false);
  }

  /** Resolves with the item's result once its batch has committed; rejects if it did not. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxConcurrentBatches && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const results = await this.write(batch.map((p) => p.item));
      if (results.length !== batch.length)
        throw new Error(
          `CommitBatcher: write returned ${results.length} results for ${batch.length} items`,
        );
      batch.forEach((pending, i) => pending.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1 || !this.retryAlone(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // One at a time, so the retries take one connection, as the batch did.
      for (const pending of batch) {
        try {
          pending.resolve((await this.write([pending.item]))[0]);
        } catch (alone) {
          pending.reject(alone);
        }
      }
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`CommitBatcherOptions.${name} must be a positive integer, got ${value}`);
  return value;
}
