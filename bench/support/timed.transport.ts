import {
  PartitionBatch,
  Publisher,
  Subscription,
  TopicSpec,
  TopicDescription,
  Transport,
} from '@troupe/messaging';
import { HEADER } from '@troupe/schemas';
import { performance } from 'node:perf_hooks';

/** Calls of one kind: how many, how many messages they carried, and the time spent in them. */
export class CallTimer {
  calls = 0;
  messages = 0;
  totalMs = 0;
  /** performance.now() when the first call since reset() started, and when the last one ended. */
  firstStartedAt = NaN;
  lastEndedAt = NaN;

  async time<T>(messages: number, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    if (this.calls === 0) this.firstStartedAt = started;
    try {
      return await work();
    } finally {
      this.calls++;
      this.messages += messages;
      this.lastEndedAt = performance.now();
      this.totalMs += this.lastEndedAt - started;
    }
  }

  reset(): void {
    Object.assign(this, {
      calls: 0,
      messages: 0,
      totalMs: 0,
      firstStartedAt: NaN,
      lastEndedAt: NaN,
    });
  }

  summary(): string {
    return `${this.calls} calls, ${this.messages} msgs, ${this.totalMs.toFixed(0)} ms total, ${(this.totalMs / Math.max(1, this.calls)).toFixed(2)} ms/call`;
  }
}

/** Per event id (ce_id): when the relay's send started and was acknowledged, when the consumer got its batch. */
export interface EventStamps {
  sendStartedAt?: number;
  ackedAt?: number;
  deliveredAt?: number;
}

type SubscribeOptions = Parameters<Transport['subscribe']>[0];

/**
 * A Transport decorator that times what Troupe asks of Kafka: the relay's sends, the consumer's
 * per-partition batches (decode + inbox transaction + offset commit) and the offset commits
 * alone. It plugs in through TroupeRuntime's public `TroupeOptions.transport`, so libs/ stay untouched.
 * With `stampEvents`, it also records per-event timestamps (performance.now()) for latency stages.
 */
export class TimedTransport implements Transport {
  readonly sends = new CallTimer();
  readonly batches = new CallTimer();
  readonly offsetCommits = new CallTimer();
  readonly stamps = new Map<string, EventStamps>();

  constructor(
    private readonly inner: Transport,
    private readonly stampEvents = false,
  ) {}

  async publisher(): Promise<Publisher> {
    const publisher = await this.inner.publisher();
    return {
      publish: async (messages) => {
        const startedAt = performance.now();
        await this.sends.time(messages.length, () => publisher.publish(messages));
        if (this.stampEvents)
          for (const m of messages)
            this.stamp(m.headers[HEADER.eventId], {
              sendStartedAt: startedAt,
              ackedAt: performance.now(),
            });
      },
      close: () => publisher.close(),
    };
  }

  subscribe(
    options: SubscribeOptions,
    handle: (batch: PartitionBatch) => Promise<void>,
  ): Promise<Subscription> {
    return this.inner.subscribe(options, (batch) => {
      if (this.stampEvents) {
        const deliveredAt = performance.now();
        for (const m of batch.messages) this.stamp(m.headers[HEADER.eventId], { deliveredAt });
      }
      const timed: PartitionBatch = {
        topic: batch.topic,
        partition: batch.partition,
        messages: batch.messages,
        assignmentEpoch: batch.assignmentEpoch,
        markDone: (message) => batch.markDone(message),
        commit: () => this.offsetCommits.time(0, () => batch.commit()),
        heartbeat: () => batch.heartbeat(),
        isActive: () => batch.isActive(),
      };
      return this.batches.time(batch.messages.length, () => handle(timed));
    });
  }

  /** Forgets what was timed so far (the warm-up). */
  reset(): void {
    for (const timer of [this.sends, this.batches, this.offsetCommits]) timer.reset();
    this.stamps.clear();
  }

  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    return this.inner.ensureTopics(topics);
  }

  describeTopics(topics: readonly string[]): Promise<TopicDescription[]> {
    return this.inner.describeTopics(topics);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** First stamp of each kind wins: a redelivered or re-sent copy does not move it. */
  private stamp(id: string | undefined, stamps: EventStamps): void {
    if (!id) return;
    const current = this.stamps.get(id) ?? {};
    this.stamps.set(id, { ...stamps, ...current });
  }
}
