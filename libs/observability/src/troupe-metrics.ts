import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ConsumeOutcome, METRIC } from './metric-names';

export interface OutboxSnapshot {
  /** Unpublished rows, quarantined ones not included. */
  pending: number;
  oldestPendingAgeSeconds: number;
  /** Rows set aside because the broker refused them for good. */
  quarantined: number;
}

/**
 * The platform's instruments on one prom-client registry (one per service process).
 * Components record through these methods; nothing else creates a service's troupe_* metrics
 * (the lag exporter in apps/compensation adds its cluster-wide ones to its own registry).
 * Counters of a group and event type start at zero when the group first sees the type, so
 * dashboards and alerts find a series before the first retry or restart.
 */
export class TroupeMetrics {
  private readonly publishedTotal: Counter<'topic' | 'type'>;
  private readonly consumed: Counter<'group' | 'type' | 'outcome'>;
  private readonly duration: Histogram<'group' | 'type'>;
  private readonly relayLag: Histogram;
  private readonly retries: Counter<'group' | 'type'>;
  private readonly deadLetters: Counter<'group' | 'type' | 'code'>;
  private readonly deadLetterFailures: Counter<'group' | 'code'>;
  private readonly parked: Gauge<'group'>;
  private readonly restarts: Counter<'group'>;
  private readonly quarantinedTotal: Counter<'topic' | 'type'>;
  private readonly outboxSources: Array<() => Promise<OutboxSnapshot>> = [];
  private readonly relaySources: Array<() => boolean> = [];
  private readonly seen = new Set<string>();

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.publishedTotal = new Counter({
      name: METRIC.eventsPublished,
      help: 'Events the relay published to Kafka',
      labelNames: ['topic', 'type'],
      registers,
    });
    this.consumed = new Counter({
      name: METRIC.eventsConsumed,
      help: 'Events consumed, by outcome',
      labelNames: ['group', 'type', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: METRIC.handlerDuration,
      help: 'Handler run time including its transaction',
      labelNames: ['group', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.relayLag = new Histogram({
      name: METRIC.relayLag,
      help: 'Time from an outbox row being written (or due) to it being published',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.retries = new Counter({
      name: METRIC.retries,
      help: 'Handler attempts that failed and were retried',
      labelNames: ['group', 'type'],
      registers,
    });
    this.deadLetters = new Counter({
      name: METRIC.deadLetters,
      help: 'Events sent to a dead-letter topic',
      labelNames: ['group', 'type', 'code'],
      registers,
    });
    this.parked = new Gauge({
      name: METRIC.parkedEvents,
      help: 'Events waiting for a later retry (with the events queued behind them)',
      labelNames: ['group'],
      registers,
    });
    this.restarts = new Counter({
      name: METRIC.consumerRestarts,
      help: 'Consumer crashes followed by a restart',
      labelNames: ['group'],
      registers,
    });
    this.deadLetterFailures = new Counter({
      name: METRIC.deadLetterFailures,
      help: 'Dead letters the broker refused for good (the event was kept as a held parked event)',
      labelNames: ['group', 'code'],
      registers,
    });
    this.quarantinedTotal = new Counter({
      name: METRIC.outboxQuarantinedTotal,
      help: 'Outbox rows the broker refused for good and the relay set aside',
      labelNames: ['topic', 'type'],
      registers,
    });
    const snapshot = () => this.outboxSnapshot();
    new Gauge({
      name: METRIC.outboxPending,
      help: 'Outbox rows not yet published',
      registers,
      async collect() {
        this.set((await snapshot()).pending);
      },
    });
    new Gauge({
      name: METRIC.outboxOldestPendingAge,
      help: 'Age of the oldest due, unpublished outbox row',
      registers,
      async collect() {
        this.set((await snapshot()).oldestPendingAgeSeconds);
      },
    });
    new Gauge({
      name: METRIC.outboxQuarantined,
      help: 'Outbox rows set aside because the broker refused them for good (OutboxQuarantine releases them)',
      registers,
      async collect() {
        this.set((await snapshot()).quarantined);
      },
    });
  }

  published(topic: string, type: string, count = 1): void {
    this.publishedTotal.inc({ topic, type }, count);
  }

  quarantined(topic: string, type: string): void {
    this.quarantinedTotal.inc({ topic, type });
  }

  relayed(lagSeconds: number): void {
    this.relayLag.observe(Math.max(0, lagSeconds));
  }

  consumedEvent(group: string, type: string, outcome: ConsumeOutcome, seconds?: number): void {
    if (!this.seen.has(`${type}@${group}`)) {
      this.seen.add(`${type}@${group}`);
      this.retries.inc({ group, type }, 0);
      this.restarts.inc({ group }, 0);
    }
    this.consumed.inc({ group, type, outcome });
    if (seconds !== undefined) this.duration.observe({ group, type }, seconds);
  }

  retried(group: string, type: string): void {
    this.retries.inc({ group, type });
  }

  deadLettered(group: string, type: string, code: string): void {
    this.deadLetters.inc({ group, type, code });
  }

  deadLetterFailed(group: string, code: string): void {
    this.deadLetterFailures.inc({ group, code });
  }

  setParked(group: string, count: number): void {
    this.parked.set({ group }, count);
  }

  consumerRestarted(group: string): void {
    this.restarts.inc({ group });
  }

  /** The relay registers where the outbox gauges read from; read at scrape time. */
  observeOutbox(source: () => Promise<OutboxSnapshot>): void {
    this.outboxSources.push(source);
  }

  /** The relay registers whether it leads; read at scrape time. */
  observeRelay(leads: () => boolean): void {
    // Made with the first relay: a service without one has no such series (an unlabelled
    // gauge always reports a value, and a 0 would read as "no relay leads").
    if (this.relaySources.length === 0) {
      const relays = this.relaySources;
      new Gauge({
        name: METRIC.relayLeader,
        help: "1 while this replica's outbox relay holds the leader lock, 0 while it stands by",
        registers: [this.registry],
        collect() {
          this.set(relays.some((relayLeads) => relayLeads()) ? 1 : 0);
        },
      });
    }
    this.relaySources.push(leads);
  }

  private async outboxSnapshot(): Promise<OutboxSnapshot> {
    const all = await Promise.all(this.outboxSources.map((s) => s().catch(() => ({ pending: 0, oldestPendingAgeSeconds: 0, quarantined: 0 }))));
    return {
      pending: all.reduce((sum, s) => sum + s.pending, 0),
      oldestPendingAgeSeconds: all.reduce((max, s) => Math.max(max, s.oldestPendingAgeSeconds), 0),
      quarantined: all.reduce((sum, s) => sum + s.quarantined, 0),
    };
  }
}
