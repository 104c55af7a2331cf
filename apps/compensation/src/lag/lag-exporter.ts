import type { ClusterAdmin } from '@troupe/messaging';
import type { LogFunction } from '@troupe/observability';
import { Registry } from 'prom-client';
import { BroadcastGroups } from './broadcast-groups';
import { ClusterSnapshot, readSnapshot } from './cluster-snapshot';
import { GroupStatusTracker } from './group-status';
import {
  LagExporterOptions,
  ResolvedLagExporterOptions,
  resolveLagExporterOptions,
} from './lag-exporter.options';
import { LagMetrics } from './lag-metrics';
import { LagReport, PartitionLag, buildReport } from './lag-report';
import { TimeLagEstimator, partitionKey } from './time-lag.estimator';

export interface LagExporterDeps {
  /** Shown as kafka_exporter_build_info{version}. */
  version?: string;
  /** The services' TOPIC_PREFIX: dead-letter topics are `<prefix><group>.dlq`. */
  topicPrefix?: string;
  log?: LogFunction;
  now?: () => number;
}

/**
 * Consumer lag of every group of one cluster, polled every `pollIntervalMs` (polls never
 * overlap, so each group costs at most one offset-fetch request per interval whatever the
 * scrape rate: scrapes read the latest report). A failed poll (broker away) is counted and
 * logged, the last report stays on show, and the next poll tries again on a fresh connection.
 */
export class LagExporter {
  readonly options: ResolvedLagExporterOptions;
  private readonly estimator: TimeLagEstimator;
  private readonly statuses: GroupStatusTracker;
  private readonly broadcast: BroadcastGroups;
  private readonly metrics: LagMetrics;
  private readonly now: () => number;
  private readonly log: LogFunction;
  private latest?: LagReport;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private failuresInARow = 0;
  /** Gone replica groups the broker refused to delete (e.g. no ACL): hidden, not asked again. */
  private readonly undeletable = new Set<string>();

  constructor(
    private readonly admin: ClusterAdmin,
    registry: Registry,
    options: LagExporterOptions = {},
    private readonly deps: LagExporterDeps = {},
  ) {
    this.options = resolveLagExporterOptions(options);
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? (() => undefined);
    this.estimator = new TimeLagEstimator({
      historyPoints: this.options.historyPoints,
      resolutionMs: this.options.pollIntervalMs,
      maxLookbackMs: this.options.maxLookbackMs,
    });
    this.statuses = new GroupStatusTracker(this.options.statusWindowMs);
    this.broadcast = new BroadcastGroups(
      this.options.broadcastGroups,
      this.options.broadcastGroupExpiryMs,
    );
    this.metrics = new LagMetrics(
      registry,
      { report: () => this.latest, requestCounts: () => admin.requestCounts() },
      this.options.clusterName,
      deps.version ?? '0.0.0',
    );
  }

  /** The figures of the last successful poll. */
  report(): LagReport | undefined {
    return this.latest;
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  /** Lets the poll in flight finish, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** One poll: read the cluster, estimate time lags, judge groups, expire gone replica groups. */
  async pollOnce(): Promise<LagReport> {
    const started = this.now();
    const snapshot = await readSnapshot(this.admin, this.options, this.now);
    for (const failure of snapshot.failures)
      this.log('warn', `lag exporter: part of the poll failed: ${failure}`);
    this.recordEnds(snapshot);
    await this.lookUpTimes(snapshot);
    const report = buildReport(
      snapshot,
      0,
      {
        deliveryOf: (group) => this.broadcast.deliveryOf(group),
        timeLagOf: (topic, partition, next) =>
          this.estimator.lagOf(topic, partition, next, snapshot.at),
        statusOf: (group, partitions, members) =>
          this.statuses.observe(group, {
            at: snapshot.at,
            members,
            partitions: positions(partitions),
          }),
      },
      this.deps.topicPrefix,
    );
    await this.expireGoneReplicas(snapshot, report);
    report.pollMs = this.now() - started;
    this.latest = report;
    return report;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const started = this.now();
      try {
        await this.pollOnce();
        this.metrics.polled('ok');
        if (this.failuresInARow > 0)
          this.log(
            'info',
            `lag exporter: the cluster answers again after ${this.failuresInARow} failed poll(s)`,
          );
        this.failuresInARow = 0;
      } catch (error) {
        this.metrics.polled('failed');
        this.failuresInARow++;
        // Once when it starts, then once a minute: an outage should not flood the log.
        if (
          this.failuresInARow === 1 ||
          this.failuresInARow % Math.ceil(60_000 / this.options.pollIntervalMs) === 0
        )
          this.log(
            'warn',
            `lag exporter: poll failed (${this.failuresInARow} in a row); showing the last figures until the cluster answers`,
            { error },
          );
      }
      const wait = Math.max(0, started + this.options.pollIntervalMs - this.now());
      if (!this.stopping)
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, wait).unref?.();
        });
    }
  }

  private recordEnds(snapshot: ClusterSnapshot): void {
    const seen = new Set<string>();
    for (const t of snapshot.topics)
      for (const p of t.partitions) {
        this.estimator.recordEnd(t.topic, p.partition, p.latest, snapshot.at);
        seen.add(partitionKey(t.topic, p.partition));
      }
    this.estimator.retain(seen);
  }

  /** Asks the broker's time index what the history lacks, within the per-poll budget. */
  private async lookUpTimes(snapshot: ClusterSnapshot): Promise<void> {
    const earliest = new Map(
      snapshot.topics.flatMap((t) =>
        t.partitions.map((p) => [partitionKey(t.topic, p.partition), p.earliest] as const),
      ),
    );
    const asked = new Set<string>();
    for (let budget = this.options.timeLookupsPerPoll; budget > 0; budget--) {
      let question: { topic: string; at: number } | undefined;
      for (const g of snapshot.groups) {
        for (const [topic, committed] of g.committed) {
          for (const [partition, next] of committed) {
            const readable = Math.max(next, earliest.get(partitionKey(topic, partition)) ?? next);
            const at = this.estimator.lookupFor(topic, partition, readable, snapshot.at);
            if (at !== undefined && !asked.has(`${at}@${topic}`)) question = { topic, at };
            if (question) break;
          }
          if (question) break;
        }
        if (question) break;
      }
      if (!question) return;
      asked.add(`${question.at}@${question.topic}`);
      try {
        for (const answer of await this.admin.offsetsAtTime(question.topic, question.at))
          this.estimator.seed(question.topic, answer.partition, Number(answer.offset), question.at);
      } catch (error) {
        this.log('warn', `lag exporter: time index of ${question.topic} not available this poll`, {
          error,
        });
        return;
      }
    }
  }

  private async expireGoneReplicas(snapshot: ClusterSnapshot, report: LagReport): Promise<void> {
    const listed = new Set(snapshot.groups.map((g) => g.group));
    this.broadcast.retain(listed);
    for (const group of this.statuses.groups()) if (!listed.has(group)) this.statuses.forget(group);
    for (const group of this.undeletable) if (!listed.has(group)) this.undeletable.delete(group);
    const expired = snapshot.groups
      .filter((g) =>
        this.broadcast.observe(g.group, g.members.length, fingerprint(g.committed), snapshot.at),
      )
      .map((g) => g.group);
    const toDelete = expired.filter((g) => !this.undeletable.has(g));
    let failures: { group: string; reason: string }[] = [];
    if (toDelete.length > 0) failures = await this.deleteGroups(toDelete);
    const cameBack = new Set(
      failures.filter((f) => f.reason === 'NON_EMPTY_GROUP').map((f) => f.group),
    );
    const deleted = toDelete.filter((g) => !failures.some((f) => f.group === g));
    for (const f of failures)
      if (!cameBack.has(f.group)) {
        this.undeletable.add(f.group);
        this.log(
          'warn',
          `lag exporter: could not delete the gone replica group ${f.group} (${f.reason}); no longer reporting it`,
        );
      }
    if (deleted.length > 0) {
      this.log(
        'info',
        `lag exporter: deleted broadcast group(s) of gone replicas: ${deleted.join(', ')}`,
      );
      this.metrics.groupsDeleted(deleted.length);
    }
    const hidden = new Set(expired.filter((g) => !cameBack.has(g)));
    report.groups = report.groups.filter((g) => !hidden.has(g.group));
    for (const group of deleted) {
      this.statuses.forget(group);
      this.broadcast.forget(group);
    }
  }

  private async deleteGroups(groups: string[]): Promise<{ group: string; reason: string }[]> {
    try {
      return await this.admin.deleteGroups(groups);
    } catch (error) {
      return groups.map((group) => ({ group, reason: (error as Error).message }));
    }
  }
}

function positions(
  partitions: readonly PartitionLag[],
): Map<string, { committed: number; lag: number }> {
  return new Map(
    partitions
      .filter((p) => p.committed >= 0)
      .map((p) => [partitionKey(p.topic, p.partition), { committed: p.committed, lag: p.lag }]),
  );
}

function fingerprint(committed: Map<string, Map<number, number>>): string {
  return JSON.stringify(
    [...committed]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([t, ps]) => [t, [...ps].sort(([a], [b]) => a - b)]),
  );
}
