import { CommitBatcher } from './commit-batcher';

/** A write whose batches finish when the test says so. */
function controlledWrite() {
  const batches: Array<{ items: number[]; finish(error?: Error): void }> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({
        items,
        finish: (error) => (error ? reject(error) : resolve(items.map((i) => `done ${i}`))),
      });
    });
  return { batches, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CommitBatcher', () => {
  it('writes an item at once when a slot is free, and what arrives meanwhile in one batch', async () => {
    const { batches, write } = controlledWrite();
    const batcher = new CommitBatcher(write, { maxConcurrentBatches: 1, maxBatchSize: 3 });
    const first = batcher.submit(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => batcher.submit(i));
    batches[0].finish();
    expect(await first).toBe('done 1');
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5]]);
    batches[2].finish();
    expect(await Promise.all(rest)).toEqual(['done 2', 'done 3', 'done 4', 'done 5']);
  });

  it('runs at most maxConcurrentBatches batches at once', async () => {
    const { batches, write } = controlledWrite();
    const batcher = new CommitBatcher(write, { maxConcurrentBatches: 2, maxBatchSize: 10 });
    const all = [1, 2, 3, 4].map((i) => batcher.submit(i));
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
    batches[1].finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4]]);
    batches[0].finish();
    batches[2].finish();
    expect(await Promise.all(all)).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
  });

  it('fails every item of a failed batch unless the error allows writing them alone', async () => {
    const refused = Object.assign(new Error('refused'), { refused: true });
    const failing = new CommitBatcher(async () => Promise.reject(new Error('connection lost')), {
      maxConcurrentBatches: 1,
    });
    await expect(Promise.all([failing.submit(1), failing.submit(2)])).rejects.toThrow(
      'connection lost',
    );

    const alone: number[][] = [];
    const splitting = new CommitBatcher(
      async (items: number[]) => {
        alone.push(items);
        if (items.includes(2)) throw refused;
        return items.map((i) => i * 10);
      },
      { maxConcurrentBatches: 1, retryAlone: (e) => (e as { refused?: boolean }).refused === true },
    );
    const blocker = splitting.submit(0);
    const results = await Promise.allSettled([1, 2, 3].map((i) => splitting.submit(i)));
    await blocker;
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(alone).toEqual([[0], [1, 2, 3], [1], [2], [3]]);
  });

  it('refuses options that are not positive integers', () => {
    expect(() => new CommitBatcher(async () => [], { maxBatchSize: 0 })).toThrow(
      'CommitBatcherOptions.maxBatchSize must be a positive integer, got 0',
    );
  });
});
