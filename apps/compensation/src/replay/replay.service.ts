import { BadRequestException, UnprocessableEntityException } from '@nestjs/common';
import { ClusterAdmin, TopicReader, Transport } from '@troupe/messaging';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log';
import { GroupInfo, GroupAdminClient } from '../clients/group-admin.client';
import { ReplayJob, ReplayJobStore } from './replay-job.store';
import { ReplayPlanner } from './replay-planner';
import { ReplayRunner } from './replay.runner';
import { JobMode, ReplaySelection, isEmptySelection, selector } from './replay-selection';
import { scanSelection } from './selection-scan';

export interface ReplayRequest extends Omit<ReplaySelection, 'errorCodes'> {
  group: string;
  mode: JobMode;
  dryRun: boolean;
  ratePerSecond?: number;
  /** Who asks, for the audit; default the token's name (ADMIN_TOKEN_NAME). */
  actor?: string;
}

/** Per event type: selected, of which the group's inbox has, and what the replay would do. */
export interface TypeSummary {
  eventType: string;
  selected: number;
  /** The group's inbox has them (applied): skipped in missed mode, applied again in reprocess mode. */
  alreadyApplied: number;
  /** Sent to the group: missed mode the ones it lacks; reprocess mode all. */
  wouldApply: number;
}

export interface ReplayOutcome {
  dryRun: boolean;
  group: string;
  topic: string;
  mode: JobMode;
  byType: TypeSummary[];
  job?: ReplayJob;
}

/**
 * Replays events of one topic to ONE group through the group's replay topic: planned (offsets),
 * dry-run (the group's inbox, through its service's admin route), then a persisted job the runner
 * carries out. Every request that gets past validation is audited; a refused one changes nothing.
 */
export class ReplayService {
  constructor(
    private readonly services: GroupAdminClient,
    private readonly transport: Transport,
    private readonly admin: ClusterAdmin,
    private readonly reader: TopicReader,
    private readonly store: ReplayJobStore,
    private readonly runner: ReplayRunner,
    private readonly audit: AuditLog,
    private readonly settings: { topicPrefix: string; defaultRate: number; actor: string },
  ) {}

  async replay(request: ReplayRequest): Promise<ReplayOutcome> {
    const actor = request.actor ?? this.settings.actor;
    const info = await this.services.group(request.group);
    const topic = this.topicOf(info, request.topic);
    const handled = info.handlers.filter((h) => h.eventType && (!request.eventTypes?.length || request.eventTypes.includes(h.eventType)));
    const unknownTypes = (request.eventTypes ?? []).filter((t) => !info.handlers.some((h) => h.eventType === t));
    if (unknownTypes.length)
      throw new UnprocessableEntityException(
        `group ${info.group} handles no ${unknownTypes.join(', ')} (it handles ${info.handlers.map((h) => h.eventType).join(', ')})`,
      );
    if (request.mode === 'reprocess') {
      const fixed = handled.filter((h) => !h.reapplicable).map((h) => h.eventType);
      if (fixed.length)
        throw new UnprocessableEntityException(
          `reprocess mode needs handlers that may be re-applied; group ${info.group}'s handlers of ${fixed.join(', ')} do not declare reapplicable (narrow eventTypes, or replay in missed mode)`,
        );
    }
    const selection: ReplaySelection = {
      topic,
      from: request.from,
      to: request.to,
      partitions: request.partitions,
      eventIds: request.eventIds,
      key: request.key,
      eventTypes: request.eventTypes,
    };
    if (isEmptySelection(selection))
      throw new BadRequestException('the selection is empty: give a time range (from/to), offsets per partition, event ids, a key or event types');
    const ranges = await new ReplayPlanner(this.transport, this.admin).ranges(selection);
    const types = handled.map((h) => h.eventType);
    const planned: ReplaySelection = { ...selection, eventTypes: types };
    const tally = await scanSelection(this.reader, topic, ranges, selector(planned, new Set(types)));
    const byType: TypeSummary[] = [];
    for (const [eventType, { eventIds }] of tally) {
      const applied = await this.services.applied(info.group, eventIds);
      byType.push({
        eventType,
        selected: eventIds.length,
        alreadyApplied: applied.size,
        wouldApply: request.mode === 'reprocess' ? eventIds.length : eventIds.length - applied.size,
      });
    }
    byType.sort((a, b) => a.eventType.localeCompare(b.eventType));
    const selected = byType.reduce((n, t) => n + t.selected, 0);
    const counts = { selected, alreadyApplied: byType.reduce((n, t) => n + t.alreadyApplied, 0), wouldApply: byType.reduce((n, t) => n + t.wouldApply, 0) };
    const outcome: ReplayOutcome = { dryRun: request.dryRun, group: info.group, topic, mode: request.mode, byType };
    const audited = { ...selection, mode: request.mode };
    if (request.dryRun) {
      await this.audit.record({ actor, action: 'replay', group: info.group, selection: audited, counts, outcome: 'dry-run', jobId: null, detail: null });
      return outcome;
    }
    if (selected === 0)
      throw new UnprocessableEntityException(`the selection matches no event of ${topic} that group ${info.group} handles; nothing to replay`);
    const job = await this.store.insert({
      id: randomUUID(),
      kind: 'replay',
      group: info.group,
      sourceTopic: topic,
      targetTopic: info.replayTopic,
      mode: request.mode,
      selection: planned,
      ranges,
      cursors: {},
      ratePerSecond: request.ratePerSecond ?? this.settings.defaultRate,
      expected: selected,
      createdBy: actor,
    });
    await this.audit.record({ actor, action: 'replay', group: info.group, selection: audited, counts, outcome: 'started', jobId: job.id, detail: null });
    this.runner.launch(job);
    return { ...outcome, job };
  }

  private topicOf(info: GroupInfo, topic: string): string {
    for (const candidate of [topic, `${this.settings.topicPrefix}${topic}`]) if (info.topics.includes(candidate)) return candidate;
    throw new UnprocessableEntityException(`group ${info.group} does not read topic ${topic} (it reads ${info.topics.join(', ')})`);
  }
}
