import type { ServiceTraceView, TraceGroupView } from '@troupe/messaging';
import type { DeadLetterScanResult, FlowDeadLetter } from './dead-letter.scan';

/** What became of one event of the flow in one group that handles its type. */
export interface FlowDelivery {
  service: string;
  groupId: string;
  state: 'handled' | 'parked' | 'dead-lettered' | 'not-handled';
  /** When it was handled, last failed (parked) or dead-lettered. */
  at: string | null;
  attempts?: number;
  error?: string;
}

export interface FlowEvent {
  eventId: string;
  eventType: string;
  service: string;
  topic: string;
  key: string | null;
  /** The event whose handling published this one (null: the flow's first event). */
  causationId: string | null;
  createdAt: string;
  publishedAt: string | null;
  state: 'published' | 'in-outbox' | 'quarantined';
  quarantineReason?: string;
  deliveries: FlowDelivery[];
}

export type FlowStepKind =
  'written' | 'published' | 'handled' | 'parked' | 'dead-lettered' | 'quarantined';

/** One thing that happened, in time order. */
export interface FlowStep {
  at: string;
  /** Since the flow's first step. */
  sinceStartMs: number;
  /** Since the step before. */
  sincePreviousMs: number;
  kind: FlowStepKind;
  service: string;
  groupId?: string;
  eventId: string;
  eventType: string;
  detail?: string;
}

/** A place where the flow has not gone on (yet). */
export interface FlowStop {
  kind: 'in-outbox' | 'quarantined' | 'parked' | 'dead-lettered' | 'not-handled';
  service: string;
  groupId?: string;
  eventId: string;
  eventType: string;
  since: string | null;
  detail: string;
}

export interface FlowTrace {
  correlationId: string;
  /**
   * complete: every event published and handled by every 'once' group of its type; stopped:
   * something is quarantined, parked or dead-lettered; in-progress: something is still in an
   * outbox or not yet handled; partial: nothing stopped as far as the services that answered
   * know, but some did not answer.
   */
  status: 'complete' | 'in-progress' | 'stopped' | 'partial';
  startedAt: string | null;
  lastStepAt: string | null;
  durationMs: number;
  events: FlowEvent[];
  steps: FlowStep[];
  stops: FlowStop[];
  services: { answered: string[]; unreachable: Array<{ service: string; problem: string }> };
  deadLetters: { scanned: string[]; unread: Array<{ topic: string; problem: string }> };
}

/** Whether anything at all of the flow was found (else: an unknown correlation id). */
export function flowFound(
  views: readonly ServiceTraceView[],
  deadLetters: DeadLetterScanResult,
): boolean {
  return (
    views.some((v) => v.published.length > 0 || v.parked.length > 0) || deadLetters.found.length > 0
  );
}

/**
 * The chain of one flow from what every service said of it (its outbox rows, its groups' inbox
 * rows and parked events) and the flow's dead letters. Pure: the caller gathers the inputs.
 * Which groups should handle an event comes from the groups' declared event types; broadcast
 * groups keep no inbox, so only 'once' groups are expected.
 */
export function assembleFlowTrace(
  correlationId: string,
  views: readonly ServiceTraceView[],
  unreachable: FlowTrace['services']['unreachable'],
  deadLetters: DeadLetterScanResult,
): FlowTrace {
  const groups = views.flatMap((v) => v.groups.map((g) => ({ ...g, service: v.service })));
  const handled = new Map(
    views.flatMap((v) => v.handled.map((h) => [`${h.groupId}/${h.eventId}`, h.handledAt] as const)),
  );
  const parked = new Map(
    views.flatMap((v) => v.parked.map((p) => [`${p.groupId}/${p.eventId}`, p] as const)),
  );
  const dead = new Map<string, FlowDeadLetter>();
  for (const d of deadLetters.found) dead.set(`${groupIdOf(groups, d.group)}/${d.eventId}`, d);

  const events: FlowEvent[] = views
    .flatMap((v) => v.published.map((row) => ({ row, service: v.service })))
    .sort((a, b) => a.row.createdAt.localeCompare(b.row.createdAt))
    .map(({ row, service }) => ({
      eventId: row.eventId,
      eventType: row.eventType,
      service,
      topic: row.topic,
      key: row.key,
      causationId: row.causationId,
      createdAt: row.createdAt,
      publishedAt: row.publishedAt,
      state: row.publishedAt ? 'published' : row.quarantinedAt ? 'quarantined' : 'in-outbox',
      ...(row.quarantineReason ? { quarantineReason: row.quarantineReason } : {}),
      deliveries: row.publishedAt
        ? groups
            .filter((g) => g.delivery === 'once' && g.eventTypes.includes(row.eventType))
            .map((g) => delivery(g.service, g.groupId, row.eventId, handled, parked, dead))
        : [],
    }));
  const known = new Set(events.map((e) => e.eventId));

  const raw: Array<Omit<FlowStep, 'sinceStartMs' | 'sincePreviousMs'>> = [];
  const stops: FlowStop[] = [];
  for (const e of events) {
    const base = { eventId: e.eventId, eventType: e.eventType };
    raw.push({
      at: e.createdAt,
      kind: 'written',
      service: e.service,
      ...base,
      detail: `to the outbox for ${e.topic}${e.key ? `, key ${e.key}` : ''}`,
    });
    if (e.publishedAt)
      raw.push({
        at: e.publishedAt,
        kind: 'published',
        service: e.service,
        ...base,
        detail: `to ${e.topic}${earlyHandling(e)}`,
      });
    if (e.state === 'in-outbox')
      stops.push({
        kind: 'in-outbox',
        service: e.service,
        ...base,
        since: e.createdAt,
        detail: 'still in the outbox, not yet published',
      });
    if (e.state === 'quarantined')
      stops.push({
        kind: 'quarantined',
        service: e.service,
        ...base,
        since: e.createdAt,
        detail: `quarantined in the outbox: ${e.quarantineReason}`,
      });
    for (const d of e.deliveries) {
      const at = { service: d.service, groupId: d.groupId, ...base };
      if (d.state === 'handled')
        raw.push({ at: d.at!, kind: 'handled', ...at, detail: `by group ${d.groupId}` });
      else if (d.state === 'parked') {
        if (d.at)
          raw.push({
            at: d.at,
            kind: 'parked',
            ...at,
            detail: `attempt ${d.attempts}: ${d.error}`,
          });
        stops.push({
          kind: 'parked',
          ...at,
          since: d.at,
          detail: `parked in ${d.groupId} after ${d.attempts} attempt(s); last error: ${d.error ?? 'none (waits behind its key)'}`,
        });
      } else if (d.state === 'dead-lettered') {
        if (d.at) raw.push({ at: d.at, kind: 'dead-lettered', ...at, detail: d.error });
        stops.push({
          kind: 'dead-lettered',
          ...at,
          since: d.at,
          detail: `dead-lettered by ${d.groupId} after ${d.attempts} attempt(s): ${d.error}`,
        });
      } else
        stops.push({
          kind: 'not-handled',
          ...at,
          since: e.publishedAt,
          detail: `published, not (yet) handled by ${d.groupId}`,
        });
    }
  }
  // Dead letters of events no outbox holds any more (past its retention): still where the flow stopped.
  for (const d of deadLetters.found.filter((x) => !known.has(x.eventId))) {
    const g = groups.find((x) => x.group === d.group);
    const base = {
      service: g?.service ?? '?',
      groupId: g?.groupId ?? d.group,
      eventId: d.eventId,
      eventType: d.eventType,
    };
    if (d.lastFailureAt)
      raw.push({
        at: d.lastFailureAt,
        kind: 'dead-lettered',
        ...base,
        detail: `${d.errorCode}: ${d.errorMessage}`,
      });
    stops.push({
      kind: 'dead-lettered',
      ...base,
      since: d.lastFailureAt,
      detail: `dead-lettered by ${base.groupId} after ${d.attempts} attempt(s): ${d.errorCode}: ${d.errorMessage}`,
    });
  }

  raw.sort((a, b) => a.at.localeCompare(b.at) || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const start = raw.length > 0 ? Date.parse(raw[0].at) : 0;
  const steps = raw.map((s, i) => ({
    ...s,
    sinceStartMs: Date.parse(s.at) - start,
    sincePreviousMs: i === 0 ? 0 : Date.parse(s.at) - Date.parse(raw[i - 1].at),
  }));
  const stopped = stops.some(
    (s) => s.kind === 'quarantined' || s.kind === 'parked' || s.kind === 'dead-lettered',
  );
  return {
    correlationId,
    status: stopped
      ? 'stopped'
      : stops.length > 0
        ? 'in-progress'
        : unreachable.length > 0
          ? 'partial'
          : 'complete',
    startedAt: raw[0]?.at ?? null,
    lastStepAt: raw.at(-1)?.at ?? null,
    durationMs: raw.length > 0 ? Date.parse(raw.at(-1)!.at) - start : 0,
    events,
    steps,
    stops,
    services: { answered: views.map((v) => v.service), unreachable },
    deadLetters: { scanned: deadLetters.scanned, unread: deadLetters.unread },
  };
}

// Ties: a handler's inbox row and the events it published carry the same time (its transaction's
// now()), and the handling comes first.
/**
 * The relay stamps published_at once the broker has acknowledged the batch, so a consumer may
 * handle the event a little before that; say so instead of leaving the order unexplained.
 */
function earlyHandling(e: FlowEvent): string {
  const first = e.deliveries
    .filter((d) => d.state === 'handled' && d.at && e.publishedAt && d.at < e.publishedAt)
    .sort((a, b) => a.at!.localeCompare(b.at!))[0];
  if (!first) return '';
  const ms = Date.parse(e.publishedAt!) - Date.parse(first.at!);
  return ` (stamped ${ms} ms after ${first.groupId} handled it: the relay stamps a row once the broker acknowledged it)`;
}

const ORDER: FlowStepKind[] = [
  'handled',
  'parked',
  'dead-lettered',
  'written',
  'published',
  'quarantined',
];

function groupIdOf(groups: readonly TraceGroupView[], declared: string): string {
  return groups.find((g) => g.group === declared)?.groupId ?? declared;
}

function delivery(
  service: string,
  groupId: string,
  eventId: string,
  handled: ReadonlyMap<string, string>,
  parked: ReadonlyMap<string, ServiceTraceView['parked'][number]>,
  dead: ReadonlyMap<string, FlowDeadLetter>,
): FlowDelivery {
  const key = `${groupId}/${eventId}`;
  const handledAt = handled.get(key);
  if (handledAt) return { service, groupId, state: 'handled', at: handledAt };
  const p = parked.get(key);
  if (p)
    return {
      service,
      groupId,
      state: 'parked',
      at: p.lastFailureAt ?? p.parkedAt,
      attempts: p.attempts,
      ...(p.lastError ? { error: p.lastError } : {}),
    };
  const d = dead.get(key);
  if (d)
    return {
      service,
      groupId,
      state: 'dead-lettered',
      at: d.lastFailureAt,
      attempts: d.attempts,
      error: `${d.errorCode}: ${d.errorMessage}`,
    };
  return { service, groupId, state: 'not-handled', at: null };
}
