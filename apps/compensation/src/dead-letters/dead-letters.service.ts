import { BadRequestException, UnprocessableEntityException } from '@nestjs/common';
import { ClusterAdmin, IncomingMessage, TopicReader, Transport } from '@troupe/messaging';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log';
import { GroupAdminClient } from '../clients/group-admin.client';
import { ReplayJob, ReplayJobStore } from '../replay/replay-job.store';
import { ReplayPlanner } from '../replay/replay-planner';
import { ReplayRunner } from '../replay/replay.runner';
import { ReplaySelection, eventOf, isEmptySelection } from '../replay/replay-selection';
import { scanSelection } from '../replay/selection-scan';
import { DeadLetterActions } from './dead-letter-actions.store';
import { DeadLetterView, deadLetterView, positionOf, redriveCountOf } from './dead-letter.view';
import { redriveSelector } from './redrive.copier';

export interface DeadLetterFilter {
  group: string;
  from?: string;
  to?: string;
  eventIds?: string[];
  eventTypes?: string[];
  errorCodes?: string[];
  key?: string;
}

export interface DeadLetterListing {
  group: string;
  topic: string;
  total: number;
  /** Counts by error code and event type, largest first. */
  byCodeAndType: Array<{ errorCode: string; eventType: string; count: number; redriven: number; quarantined: number }>;
  /** Newest first, at most `limit`. */
  deadLetters: DeadLetterView[];
}

export interface RedriveSummary {
  eventType: string;
  selected: number;
  /** Sent back to the group (the inbox still drops those it applied meanwhile). */
  wouldRedrive: number;
  /** Redriven REDRIVE_LIMIT times already: quarantined instead. */
  wouldQuarantine: number;
  alreadyApplied: number;
}

export interface RedriveOutcome {
  dryRun: boolean;
  group: string;
  topic: string;
  redriveLimit: number;
  byType: RedriveSummary[];
  job?: ReplayJob;
}

/** A group's dead letters, decoded from its dead-letter topic; redrive of a selection to that group only. */
export class DeadLettersService {
  constructor(
    private readonly services: GroupAdminClient,
    private readonly transport: Transport,
    private readonly admin: ClusterAdmin,
    private readonly reader: TopicReader,
    private readonly actions: DeadLetterActions,
    private readonly store: ReplayJobStore,
    private readonly runner: ReplayRunner,
    private readonly audit: AuditLog,
    private readonly settings: { defaultRate: number; actor: string; redriveLimit: number },
  ) {}

  async list(filter: DeadLetterFilter, limit: number): Promise<DeadLetterListing> {
    const { selection, group } = await this.selectionOf(filter);
    const ranges = await new ReplayPlanner(this.transport, this.admin).ranges(selection);
    const done = await this.actions.of(group);
    const selects = redriveSelector({ selection });
    // Unfiltered, the listing shows dead letters that are no Troupe event too (headers missing).
    const all = isEmptySelection({ ...selection, eventTypes: filter.eventTypes });
    const found: DeadLetterView[] = [];
    await this.reader.read(selection.topic, ranges, async (_p, messages) => {
      for (const m of messages) if (selects(m) || (all && !eventOf(m))) found.push(deadLetterView(m, done.get(positionOf(m)) ?? 'dead'));
    });
    const counts = new Map<string, DeadLetterListing['byCodeAndType'][number]>();
    for (const d of found) {
      const key = `${d.errorCode}\u0000${d.eventType}`;
      const entry = counts.get(key) ?? { errorCode: d.errorCode, eventType: d.eventType, count: 0, redriven: 0, quarantined: 0 };
      entry.count++;
      if (d.state === 'redriven') entry.redriven++;
      if (d.state === 'quarantined') entry.quarantined++;
      counts.set(key, entry);
    }
    found.sort((a, b) => b.deadLetter.at.localeCompare(a.deadLetter.at));
    return {
      group,
      topic: selection.topic,
      total: found.length,
      byCodeAndType: [...counts.values()].sort((a, b) => b.count - a.count),
      deadLetters: found.slice(0, limit),
    };
  }

  async redrive(request: DeadLetterFilter & { all: boolean; dryRun: boolean; ratePerSecond?: number }): Promise<RedriveOutcome> {
    const { selection, group, replayTopic } = await this.selectionOf(request);
    const narrowed = { ...selection, eventTypes: request.eventTypes };
    if (isEmptySelection(narrowed) && !request.all)
      throw new BadRequestException('the selection is empty: give event ids, error codes, event types, a key, a time range, or all');
    const ranges = await new ReplayPlanner(this.transport, this.admin).ranges(selection);
    const done = await this.actions.of(group);
    const selects = redriveSelector({ selection });
    const { redriveLimit } = this.settings;
    const pending = (m: IncomingMessage) => !done.has(positionOf(m)) && selects(m);
    const tally = await scanSelection(this.reader, selection.topic, ranges, pending, (m) => redriveCountOf(m) >= redriveLimit);
    const byType: RedriveSummary[] = [];
    for (const [eventType, { eventIds, setApart }] of tally) {
      const applied = await this.services.applied(group, eventIds);
      byType.push({ eventType, selected: eventIds.length + setApart, wouldRedrive: eventIds.length, wouldQuarantine: setApart, alreadyApplied: applied.size });
    }
    byType.sort((a, b) => a.eventType.localeCompare(b.eventType));
    const sum = (pick: (s: RedriveSummary) => number) => byType.reduce((n, s) => n + pick(s), 0);
    const counts = { selected: sum((s) => s.selected), wouldRedrive: sum((s) => s.wouldRedrive), wouldQuarantine: sum((s) => s.wouldQuarantine), alreadyApplied: sum((s) => s.alreadyApplied) };
    const audited = { ...narrowed, ...(request.all ? { all: true } : {}) };
    const outcome: RedriveOutcome = { dryRun: request.dryRun, group, topic: selection.topic, redriveLimit, byType };
    if (request.dryRun) {
      await this.audit.record({ actor: this.settings.actor, action: 'redrive', group, selection: audited, counts, outcome: 'dry-run', jobId: null, detail: null });
      return outcome;
    }
    if (counts.selected === 0)
      throw new UnprocessableEntityException(`no dead letter of group ${group} matches the selection (or all were redriven or quarantined already); nothing to redrive`);
    const job = await this.store.insert({
      id: randomUUID(),
      kind: 'redrive',
      group,
      sourceTopic: selection.topic,
      targetTopic: replayTopic,
      mode: 'missed',
      selection,
      ranges,
      cursors: {},
      ratePerSecond: request.ratePerSecond ?? this.settings.defaultRate,
      expected: counts.selected,
      createdBy: this.settings.actor,
    });
    await this.audit.record({ actor: this.settings.actor, action: 'redrive', group, selection: audited, counts, outcome: 'started', jobId: job.id, detail: null });
    this.runner.launch(job);
    return { ...outcome, job };
  }

  /** The group's dead-letter topic and the filter as a selection over it (only types the group handles). */
  private async selectionOf(filter: DeadLetterFilter): Promise<{ selection: ReplaySelection; group: string; replayTopic: string }> {
    const info = await this.services.group(filter.group);
    const handled = info.handlers.map((h) => h.eventType);
    const unknown = (filter.eventTypes ?? []).filter((t) => !handled.includes(t));
    if (unknown.length) throw new UnprocessableEntityException(`group ${info.group} handles no ${unknown.join(', ')} (it handles ${handled.join(', ')})`);
    return {
      group: info.group,
      replayTopic: info.replayTopic,
      selection: {
        topic: info.deadLetterTopic,
        from: filter.from,
        to: filter.to,
        eventIds: filter.eventIds,
        key: filter.key,
        errorCodes: filter.errorCodes,
        eventTypes: filter.eventTypes?.length ? filter.eventTypes : handled,
      },
    };
  }
}
