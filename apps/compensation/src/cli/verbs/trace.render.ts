import type { FlowStep, FlowTrace } from '../../trace/flow-trace';

const VERB: Record<FlowStep['kind'], string> = {
  written: 'wrote',
  published: 'published',
  handled: 'handled',
  parked: 'parked',
  'dead-lettered': 'dead-lettered',
  quarantined: 'quarantined',
};

/** A trace as lines for a terminal: a heading, every step in time order with the time between steps, where the flow stopped. */
export function renderTrace(trace: FlowTrace): string[] {
  const services = new Set(trace.events.map((e) => e.service));
  const lines = [
    `flow ${trace.correlationId}: ${trace.status.toUpperCase()}, ${trace.events.length} event(s) from ${services.size} service(s), ` +
      `${duration(trace.durationMs)} from first to last step${trace.startedAt ? ` (began ${trace.startedAt})` : ''}`,
    '',
  ];
  const byId = new Map(trace.events.map((e) => [e.eventId, e]));
  const rows = trace.steps.map((s) => {
    const cause =
      s.kind === 'written' ? byId.get(byId.get(s.eventId)?.causationId ?? '') : undefined;
    const what = `${VERB[s.kind]} ${s.eventType.split('.').at(-1)} ${short(s.eventId)}`;
    const detail = [
      s.detail,
      cause ? `after ${cause.eventType.split('.').at(-1)} ${short(cause.eventId)}` : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    return [
      `+${duration(s.sinceStartMs)}`,
      `+${duration(s.sincePreviousMs)}`,
      s.service,
      what,
      detail,
    ];
  });
  lines.push(...table([['AT', 'STEP', 'SERVICE', 'WHAT', 'DETAIL'], ...rows]));
  lines.push('');
  if (trace.stops.length === 0 && trace.services.unreachable.length === 0)
    lines.push(
      'where it stopped: nowhere; every event was published and handled by every group that reads it',
    );
  else if (trace.stops.length === 0) {
    lines.push('where it stopped: nowhere, as far as the services that answered know');
    const unhandled = trace.events.filter(
      (e) => e.state === 'published' && e.deliveries.length === 0,
    );
    for (const e of unhandled)
      lines.push(
        `  ${e.eventType.split('.').at(-1)} ${e.eventId}: no group of the services that answered handles it`,
      );
  } else {
    lines.push('where it stopped:');
    for (const stop of trace.stops)
      lines.push(
        `  ${stop.kind.toUpperCase()}  ${stop.service}${stop.groupId ? `/${stop.groupId}` : ''}  ${stop.eventType.split('.').at(-1)} ${stop.eventId}${stop.since ? ` since ${stop.since}` : ''}: ${stop.detail}`,
      );
  }
  for (const u of trace.services.unreachable)
    lines.push(`unreachable: ${u.problem} (its part of the flow is missing)`);
  for (const u of trace.deadLetters.unread)
    lines.push(`dead letters not read: ${u.topic}: ${u.problem}`);
  return lines;
}

/** `…` and the last 8 characters of an id (UUIDv7s of one flow share their leading time bits). */
function short(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return s < 3600
    ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`.trimEnd(),
  );
}
