import type { AttemptRecord, StoredOutcome, TaskOutcomes } from '../store/task-outcomes';

/**
 * Group commit for ended attempts: while one batch is being stored, the next collects, so a
 * busy worker writes many outcomes per transaction and an idle one writes each at once. A
 * failed store is retried (the attempts stay fenced, so a late write cannot clobber a retry).
 */
export class OutcomeBatcher {
  private queue: Array<{ record: AttemptRecord; done: (stored: StoredOutcome | null) => void }> =
    [];
  private flushing?: Promise<void>;

  constructor(
    private readonly outcomes: TaskOutcomes,
    private readonly onStored: (stored: StoredOutcome[], records: AttemptRecord[]) => void,
    private readonly log: (message: string, error?: unknown) => void,
    private readonly maxBatch = 500,
  ) {}

  /** Outcomes waiting to be stored (the worker claims less while this is high). */
  get backlog(): number {
    return this.queue.length;
  }

  /** Resolves once stored: with what changed, or null when the attempt no longer held its task. */
  add(record: AttemptRecord): Promise<StoredOutcome | null> {
    return new Promise((done) => {
      this.queue.push({ record, done });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves when everything added so far is stored. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        const stored = await this.outcomes.store(batch.map((b) => b.record));
        this.queue.splice(0, batch.length);
        failures = 0;
        const byId = new Map(stored.map((s) => [s.id, s]));
        this.onStored(
          stored,
          batch.map((b) => b.record),
        );
        for (const { record, done } of batch) done(byId.get(record.id) ?? null);
      } catch (error) {
        failures++;
        this.log(
          `storing ${batch.length} task outcome(s) failed (${failures} in a row); retrying`,
          error,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** failures)));
      }
    }
    this.flushing = undefined;
  }
}
