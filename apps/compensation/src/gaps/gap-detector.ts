import { HttpException, UnprocessableEntityException } from '@nestjs/common';
import { ClusterAdmin, PartitionRange, TopicReader, Transport } from '@troupe/messaging';
import { HEADER } from '@troupe/schemas';
import { Counter, Gauge, Registry } from 'prom-client';
import { METRIC } from '@troupe/observability';
import { DataSource } from 'typeorm';
import { GroupInfo, GroupAdminClient } from '../clients/group-admin.client';
import { ReplayPlanner } from '../replay/replay-planner';
import { ReplayService } from '../replay/replay.service';
import { eventOf, selector } from '../replay/replay-selection';

export interface GapOptions {
  windowMs: number;
  graceMs: number;
  maxAttempts: number;
}

/** Events of one producer and type on one topic that a group has not applied. */
export interface Gap {
  group: string;
  topic: string;
  /** The producing service (the events' ce_source). */
  producer: string;
  eventType: string;
  missing: number;
  /** At most 100 of them. */
  eventIds: string[];
  /** Replayed GAP_REPLAY_MAX_ATTEMPTS times and still missing: reported, never replayed again. */
  givenUp: string[];
}

export interface GapReport {
  checkedAt: string;
  window: { from: string; to: string };
  gaps: Gap[];
  /** Replays started for the gaps (when asked to replay). */
  replays: Array<{ group: string; topic: string; jobId: string; events: number }>;
  /** Groups that could not be checked (their service unreachable...), with why. */
  errors: Array<{ group: string; message: string }>;
}

/**
 * Finds, for each configured group and each topic it reads, the events published in the window
 * [now − window, now − grace] that the group's inbox does not have and that are not in its
 * dead-letter topic (those are dead letters, not gaps), from Kafka and the services' inbox
 * look-ups only. Optionally replays them (missed mode), each at most maxAttempts times.
 */
export class GapDetector {
  private readonly gauge: Gauge;
  private readonly replayed: Counter;

  constructor(
    private readonly services: GroupAdminClient,
    private readonly transport: Transport,
    private readonly admin: ClusterAdmin,
    private readonly reader: TopicReader,
    private readonly replays: ReplayService,
    private readonly db: DataSource,
    registry: Registry,
    private readonly options: GapOptions,
  ) {
    this.gauge = new Gauge({ name: METRIC.compensationGapEvents, help: 'Events published in the gap window that a group has not applied (nor dead-lettered)', labelNames: ['group', 'producer', 'topic'], registers: [registry] });
    this.replayed = new Counter({ name: METRIC.compensationGapReplays, help: 'Gap events replayed automatically, or given up after the retry limit', labelNames: ['group', 'outcome'], registers: [registry] });
  }

  async detect(request: { group?: string; windowMs?: number; graceMs?: number; replay: boolean }): Promise<GapReport> {
    const now = Date.now();
    const from = new Date(now - (request.windowMs ?? this.options.windowMs)).toISOString();
    const to = new Date(now - (request.graceMs ?? this.options.graceMs)).toISOString();
    if (from >= to) throw new UnprocessableEntityException(`the window (${from} to ${to}) is empty: make it longer than the grace period`);
    const report: GapReport = { checkedAt: new Date(now).toISOString(), window: { from, to }, gaps: [], replays: [], errors: [] };
    const groups = request.group ? [request.group] : await this.services.knownGroups();
    for (const group of groups) {
      try {
        const info = await this.services.group(group);
        const gaps = await this.groupGaps(info, from, to);
        if (request.replay) await this.replay(info, gaps, from, report);
        report.gaps.push(...gaps);
      } catch (error) {
        if (request.group && error instanceof HttpException) throw error;
        report.errors.push({ group, message: (error as Error).message });
      }
    }
    // The gauge shows the last check of every group (a check of one group leaves it as it is).
    if (!request.group) {
      this.gauge.reset();
      for (const gap of report.gaps) this.gauge.inc({ group: gap.group, producer: gap.producer, topic: gap.topic }, gap.missing);
    }
    return report;
  }

  private async groupGaps(info: GroupInfo, from: string, to: string): Promise<Gap[]> {
    const planner = new ReplayPlanner(this.transport, this.admin);
    const deadLettered = new Set<string>();
    await this.reader.read(info.deadLetterTopic, await planner.ranges({ topic: info.deadLetterTopic }), async (_p, messages) => {
      for (const m of messages) if (m.headers[HEADER.eventId]) deadLettered.add(m.headers[HEADER.eventId].toLowerCase());
    });
    const types = info.handlers.map((h) => h.eventType);
    const givenUp = await this.givenUp(info.group);
    const gaps: Gap[] = [];
    for (const topic of info.topics) {
      const selection = { topic, from, to, eventTypes: types };
      const ranges = await this.rangesOf(planner, selection);
      const selects = selector(selection, new Set(types));
      const found = new Map<string, { producer: string; eventType: string }>();
      await this.reader.read(topic, ranges, async (_p, messages) => {
        for (const m of messages)
          if (selects(m)) found.set(eventOf(m)!.eventId, { producer: m.headers[HEADER.source] ?? '(unknown)', eventType: eventOf(m)!.eventType });
      });
      const applied = await this.services.applied(info.group, [...found.keys()]);
      const byProducer = new Map<string, Gap>();
      for (const [eventId, { producer, eventType }] of found) {
        if (applied.has(eventId) || deadLettered.has(eventId)) continue;
        const key = `${producer}\u0000${eventType}`;
        const gap = byProducer.get(key) ?? { group: info.group, topic, producer, eventType, missing: 0, eventIds: [], givenUp: [] };
        gap.missing++;
        if (givenUp.has(eventId)) gap.givenUp.push(eventId);
        else if (gap.eventIds.length < 100) gap.eventIds.push(eventId);
        byProducer.set(key, gap);
      }
      gaps.push(...byProducer.values());
    }
    return gaps;
  }

  /** The window's ranges; a window older than the topic keeps is cut to what it keeps. */
  private async rangesOf(planner: ReplayPlanner, selection: { topic: string; from: string; to: string }): Promise<PartitionRange[]> {
    try {
      return await planner.ranges(selection);
    } catch (error) {
      if (!(error instanceof UnprocessableEntityException)) throw error;
      return planner.ranges({ topic: selection.topic, to: selection.to });
    }
  }

  private async replay(info: GroupInfo, gaps: Gap[], from: string, report: GapReport): Promise<void> {
    for (const gap of gaps) {
      if (gap.eventIds.length === 0) continue;
      const attempts: Array<{ event_id: string; attempts: number }> = await this.db.query(
        `INSERT INTO gap_replay (consumer_group, event_id, attempts) SELECT $1, unnest($2::uuid[]), 1
         ON CONFLICT (consumer_group, event_id) DO UPDATE SET attempts = gap_replay.attempts + 1, last_at = now()
         RETURNING event_id::text, attempts`,
        [info.group, gap.eventIds],
      );
      const allowed = attempts.filter((a) => a.attempts <= this.options.maxAttempts).map((a) => a.event_id);
      const refused = attempts.filter((a) => a.attempts > this.options.maxAttempts).map((a) => a.event_id);
      gap.givenUp.push(...refused);
      if (refused.length) this.replayed.inc({ group: info.group, outcome: 'given-up' }, refused.length);
      if (allowed.length === 0) continue;
      const outcome = await this.replays.replay({ group: info.group, topic: gap.topic, from, eventIds: allowed, eventTypes: [gap.eventType], mode: 'missed', dryRun: false, actor: 'gap-detector' });
      this.replayed.inc({ group: info.group, outcome: 'replayed' }, allowed.length);
      report.replays.push({ group: info.group, topic: gap.topic, jobId: outcome.job!.id, events: allowed.length });
    }
  }

  private async givenUp(group: string): Promise<Set<string>> {
    const rows: Array<{ event_id: string }> = await this.db.query(`SELECT event_id::text FROM gap_replay WHERE consumer_group = $1 AND attempts > $2`, [
      group,
      this.options.maxAttempts,
    ]);
    return new Set(rows.map((r) => r.event_id));
  }
}
