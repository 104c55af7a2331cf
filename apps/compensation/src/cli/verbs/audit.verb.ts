import { callApp } from '../compensation-client';
import { CliFailure, EXIT } from '../exit-codes';
import { parseFlags, parsePositiveInt } from '../flags';
import { table } from '../table';
import { Verb } from '../verb';

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  group: string;
  selection: Record<string, unknown>;
  counts: Record<string, number>;
  outcome: string;
  jobId: string | null;
  detail: string | null;
}

const USAGE = `troupe audit [--group <group>] [--action replay|redrive] [--limit <n>]

Every replay and redrive (dry runs included), newest first: when, who (the name of the token),
the group, the outcome, the counts and the selection.`;

export const auditVerb: Verb = {
  name: 'audit',
  summary: 'who replayed or redrove what, when, with which outcome',
  usage: USAGE,
  async run(args, ctx) {
    const flags = parseFlags(args, { group: { value: true }, action: { value: true }, limit: { value: true } });
    if (flags.positionals.length) throw new CliFailure(`unexpected argument "${flags.positionals[0]}" (see troupe audit --help)`, EXIT.usage);
    const query = new URLSearchParams();
    const group = flags.values.group?.[0];
    const action = flags.values.action?.[0];
    if (group) query.set('group', group);
    if (action) query.set('action', action);
    query.set('limit', String(flags.values.limit ? parsePositiveInt('limit', flags.values.limit[0]) : 20));
    const entries = await callApp<AuditEntry[]>(ctx, 'GET', `audit?${query}`);
    if (ctx.json) {
      ctx.out(JSON.stringify(entries));
      return EXIT.ok;
    }
    if (entries.length === 0) ctx.out('no replay or redrive recorded');
    const counts = (c: Record<string, number>) =>
      Object.entries(c)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
    const selection = (s: Record<string, unknown>) =>
      Object.entries(s)
        .filter(([k, v]) => v !== undefined && k !== 'topic' && k !== 'mode')
        .map(([k, v]) => `${k}=${Array.isArray(v) ? (v.length > 3 ? `${v.length} values` : v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).join(',')) : v}`)
        .join(' ');
    for (const line of table(
      ['AT', 'WHO', 'ACTION', 'GROUP', 'OUTCOME', 'COUNTS', 'SELECTION'],
      entries.map((e) => [e.at, e.actor, `${e.action}${e.selection.mode ? ` (${e.selection.mode})` : ''}`, e.group, e.outcome, counts(e.counts), `${e.selection.topic ?? ''} ${selection(e.selection)}`.trim()]),
      '',
    ))
      ctx.out(line);
    return EXIT.ok;
  },
};
