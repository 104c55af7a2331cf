import { ClusterAdmin, IncomingMessage, Transport } from '@troupe/messaging';
import { DEAD_LETTER_HEADER, HEADER } from '@troupe/schemas';
import { randomUUID } from 'node:crypto';

/** A dead letter of the flow, from its headers (the value is not read). */
export interface FlowDeadLetter {
  deadLetterTopic: string;
  /** The group that gave up on the event (troupe-dlq-group). */
  group: string;
  eventId: string;
  eventType: string;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  errorCode: string;
  errorMessage: string;
  attempts: number;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
}

export interface DeadLetterScanResult {
  found: FlowDeadLetter[];
  /** Dead-letter topics that held messages and were read to their end. */
  scanned: string[];
  /** Dead-letter topics that could not be read (to the end) in time, with why. */
  unread: Array<{ topic: string; problem: string }>;
}

/**
 * Finds a flow's dead letters: reads the given dead-letter topics from their start to their end
 * as they are now, keeping the messages whose correlation header matches. Empty (or missing)
 * topics cost one offsets request and no consumer; the others are read by a throwaway consumer
 * group (`compensation.trace.<random>`, deleted afterwards) that commits nothing.
 */
export class DeadLetterScan {
  constructor(
    private readonly transport: Transport,
    private readonly admin: ClusterAdmin,
    private readonly timeoutMs: number,
  ) {}

  async find(topics: readonly string[], correlationId: string): Promise<DeadLetterScanResult> {
    const result: DeadLetterScanResult = { found: [], scanned: [], unread: [] };
    const ends = new Map<string, bigint>(); // `${topic}/${partition}` → last offset still to read
    for (const topic of new Set(topics)) {
      try {
        for (const p of await this.admin.topicOffsets(topic))
          if (BigInt(p.latest) > BigInt(p.earliest))
            ends.set(`${topic}/${p.partition}`, BigInt(p.latest) - 1n);
      } catch (error) {
        if (!/does not exist|UNKNOWN_TOPIC/i.test(String((error as Error).message)))
          result.unread.push({ topic, problem: String((error as Error).message) });
      }
    }
    const toRead = [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))];
    if (toRead.length === 0) return result;
    const group = `compensation.trace.${randomUUID().slice(0, 8)}`;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const keep = (message: IncomingMessage) => {
      if (message.headers[HEADER.correlationId] === correlationId)
        result.found.push(deadLetterOf(message));
    };
    const subscribing = this.transport.subscribe(
      { group, topics: toRead, fromBeginning: true, partitionConcurrency: 4 },
      async (batch) => {
        const key = `${batch.topic}/${batch.partition}`;
        for (const message of batch.messages) {
          const last = ends.get(key);
          if (last !== undefined && BigInt(message.offset) <= last) keep(message);
          batch.markDone(message);
          if (last !== undefined && BigInt(message.offset) >= last) ends.delete(key);
        }
        if (ends.size === 0) finish();
      },
    );
    // Kafka away or refusing: the trace still shows what the services said, and says this.
    const subscription = await subscribing.catch((error: Error) => {
      for (const topic of toRead)
        result.unread.push({ topic, problem: `cannot be read: ${error.message}` });
      return undefined;
    });
    if (!subscription) return result;
    const timer = setTimeout(finish, this.timeoutMs);
    try {
      await done;
    } finally {
      clearTimeout(timer);
      await subscription.stop().catch(() => undefined);
      await this.admin.deleteGroups([group]).catch(() => undefined);
    }
    const unfinished = new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))));
    for (const topic of toRead) {
      if (unfinished.has(topic))
        result.unread.push({ topic, problem: `not read to its end within ${this.timeoutMs} ms` });
      else result.scanned.push(topic);
    }
    return result;
  }
}

function deadLetterOf(message: IncomingMessage): FlowDeadLetter {
  const h = message.headers;
  return {
    deadLetterTopic: message.topic,
    group: h[DEAD_LETTER_HEADER.group] ?? '',
    eventId: h[HEADER.eventId] ?? '',
    eventType: h[HEADER.eventType] ?? '',
    originalTopic: h[DEAD_LETTER_HEADER.topic] ?? '',
    originalPartition: Number(h[DEAD_LETTER_HEADER.partition] ?? -1),
    originalOffset: h[DEAD_LETTER_HEADER.offset] ?? '',
    errorCode: h[DEAD_LETTER_HEADER.errorCode] ?? '',
    errorMessage: h[DEAD_LETTER_HEADER.errorMessage] ?? '',
    attempts: Number(h[DEAD_LETTER_HEADER.attempts] ?? 0),
    firstFailureAt: h[DEAD_LETTER_HEADER.firstFailureAt] ?? null,
    lastFailureAt: h[DEAD_LETTER_HEADER.lastFailureAt] ?? null,
  };
}
