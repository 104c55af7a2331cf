import { PublishRefusedError } from './publish-refused.error';
import { RelayMessage, RelayPublisher } from './relay-publisher.port';

/** A due outbox row as the relay reads it. */
export interface DueRow {
  id: string;
  topic: string;
  key: string | null;
  event_type: string;
  payload: Buffer;
  headers: Record<string, string>;
  due_at: Date;
}

/** What the sender records about rows (the relay implements it on the leader's session). */
export interface RelayRowStore {
  /** Before each request: throws if this relay may no longer publish. */
  confirmLeader(): Promise<void>;
  published(rows: readonly DueRow[]): Promise<void>;
  /** The broker refused the row for good: set it aside; later rows of its key wait behind it. */
  quarantine(row: DueRow, reason: string): Promise<void>;
  /** A transient failure: the rows stay due and are sent again after the back-off. */
  failed(rows: readonly DueRow[], error: unknown): Promise<void>;
}

/**
 * Publishes one batch of due rows, in seq order, so that no row the broker refuses for good
 * can stop the others. The batch goes out in requests of at most maxRequestBytes; each accepted
 * request is marked published at once. When the broker refuses a request for good
 * ({@link PublishRefusedError}), the rows it names (a missing topic) or, else, the single row
 * left after halving the request again and again, are quarantined; later rows of a quarantined
 * row's topic and key are held back (per-key order), everything else goes on. A transient
 * failure ends the batch: what was published stays marked, the rest is retried later.
 */
export class RelaySender {
  constructor(
    private readonly publisher: RelayPublisher,
    private readonly store: RelayRowStore,
    private readonly maxRequestBytes: number,
  ) {}

  /** Returns how many rows were published; throws the first transient failure. */
  async send(rows: readonly DueRow[]): Promise<number> {
    const held = new Set<string>();
    let published = 0;
    for (const request of splitBySize(rows, this.maxRequestBytes))
      published += await this.sendRequest(request, held);
    return published;
  }

  private async sendRequest(candidates: readonly DueRow[], held: Set<string>): Promise<number> {
    const rows = candidates.filter((row) => !held.has(keyOf(row)));
    if (rows.length === 0) return 0;
    await this.store.confirmLeader();
    try {
      await this.publisher.publish(rows.map(toMessage));
    } catch (error) {
      if (!(error instanceof PublishRefusedError)) {
        await this.store.failed(rows, error);
        throw error;
      }
      return this.isolate(rows, error, held);
    }
    await this.store.published(rows);
    return rows.length;
  }

  /** Narrows a refusal down to the rows that cause it; sends the rest. */
  private async isolate(
    rows: readonly DueRow[],
    error: PublishRefusedError,
    held: Set<string>,
  ): Promise<number> {
    const reason = `${error.reason}: ${error.message}`.slice(0, 1000);
    const refusedTopics = error.topics;
    if (refusedTopics?.length) {
      for (const row of rows.filter((r) => refusedTopics.includes(r.topic)))
        await this.setAside(row, reason, held);
      return this.sendRequest(
        rows.filter((r) => !refusedTopics.includes(r.topic)),
        held,
      );
    }
    if (rows.length === 1) {
      await this.setAside(rows[0], reason, held);
      return 0;
    }
    const half = Math.ceil(rows.length / 2);
    const first = await this.sendRequest(rows.slice(0, half), held);
    return first + (await this.sendRequest(rows.slice(half), held));
  }

  private async setAside(row: DueRow, reason: string, held: Set<string>): Promise<void> {
    await this.store.quarantine(row, reason);
    held.add(keyOf(row));
  }
}

/** Rows of one topic and key keep their order; rows without a key have none to keep. */
function keyOf(row: DueRow): string {
  return row.key === null ? `\u0000${row.id}` : `${row.topic}\u001f${row.key}`;
}

function toMessage(row: DueRow): RelayMessage {
  return { topic: row.topic, key: row.key, value: row.payload, headers: row.headers };
}

/**
 * What a row adds to a produce request, generously: a Kafka v2 record is its key, value and
 * headers plus at most ~40 bytes of varints and attributes, and each header adds two length
 * varints. Each new topic and key may open another partition's record batch (61 bytes of
 * batch header plus the partition's entry), counted as 100.
 */
export function estimatedBytes(row: DueRow, firstOfKey: boolean): number {
  let bytes = 40 + row.payload.length + (row.key === null ? 0 : Buffer.byteLength(row.key));
  for (const [name, value] of Object.entries(row.headers))
    bytes += 10 + Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes + (firstOfKey ? 100 + Buffer.byteLength(row.topic) : 0);
}

/** Consecutive runs of `rows` of at most `maxBytes` each (a row bigger than that alone). */
export function splitBySize(rows: readonly DueRow[], maxBytes: number): DueRow[][] {
  const requests: DueRow[][] = [];
  let current: DueRow[] = [];
  let bytes = 0;
  let keys = new Set<string>();
  for (const row of rows) {
    const key = `${row.topic}\u001f${row.key ?? ''}`;
    let size = estimatedBytes(row, !keys.has(key));
    if (current.length > 0 && bytes + size > maxBytes) {
      requests.push(current);
      current = [];
      bytes = 0;
      keys = new Set();
      size = estimatedBytes(row, true);
    }
    bytes += size;
    keys.add(key);
    current.push(row);
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
