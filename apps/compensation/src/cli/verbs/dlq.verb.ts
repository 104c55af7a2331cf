import { callApp } from '../compensation-client';
import { CliFailure, EXIT } from '../exit-codes';
import { ParsedFlags, parseFlags, parsePositiveInt, parseTime } from '../flags';
import { followJob } from '../job-progress';
import { table } from '../table';
import { CliContext, Verb } from '../verb';
// The server's answer types; a type-only import loads nothing of the server.
import type { DeadLetterListing } from '../../dead-letters/dead-letters.service';

interface RedriveOutcome {
  dryRun: boolean;
  group: string;
  topic: string;
  redriveLimit: number;
  byType: Array<{ eventType: string; selected: number; wouldRedrive: number; wouldQuarantine: number; alreadyApplied: number }>;
  job?: { id: string; expected: number; targetTopic: string; ratePerSecond: number };
}

const USAGE = `troupe dlq list --group <group> [filters] [--limit <n>]
troupe dlq show --group <group> <event-id>
troupe dlq redrive --group <group> (filters | --all) [--dry-run] [--rate <n>] [--no-wait]

A consumer group's dead letters (its <group>.dlq topic), decoded: event type, key, error code
and message, attempts, first and last failure, where the event was published. \`list\` groups
them by error code and type. \`redrive\` sends a selection back to that group only (through its
replay topic); each dead letter is redriven once (if it fails again, that is a new dead letter
with a higher redrive count), and one redriven REDRIVE_LIMIT times already is quarantined instead.

Filters (all given must match):
  --code <error code>    (repeatable) e.g. payment.declined
  --type <event type>    (repeatable)
  --event-id <id>        (repeatable for redrive)
  --key <key>
  --from <time> --to <time>   when it was dead-lettered: ISO 8601 or relative (-2h)

Exit codes: 0 ok, 1 the redrive failed, 2 bad input (nothing changed), 3 app or service unreachable.`;

const FLAGS = {
  group: { value: true },
  code: { value: true, many: true },
  type: { value: true, many: true },
  'event-id': { value: true, many: true },
  key: { value: true },
  from: { value: true },
  to: { value: true },
  limit: { value: true },
  rate: { value: true },
  all: {},
  'dry-run': {},
  'no-wait': {},
};

export const dlqVerb: Verb = {
  name: 'dlq',
  summary: "list, inspect and redrive a group's dead letters (dry run first)",
  usage: USAGE,
  async run(args, ctx) {
    const flags = parseFlags(args, FLAGS);
    const [sub, id] = flags.positionals;
    const group = flags.values.group?.[0];
    if (!sub) throw new CliFailure('say list, show or redrive (see troupe dlq --help)', EXIT.usage);
    if (!group) throw new CliFailure('--group is required (see troupe dlq --help)', EXIT.usage);
    if (sub === 'list') return list(ctx, flags, group);
    if (sub === 'show') {
      if (!id) throw new CliFailure('troupe dlq show needs the event id', EXIT.usage);
      return show(ctx, group, id);
    }
    if (sub === 'redrive') return redrive(ctx, flags, group);
    throw new CliFailure(`unknown dlq command "${sub}" (see troupe dlq --help)`, EXIT.usage);
  },
};

function filterQuery(flags: ParsedFlags, group: string): URLSearchParams {
  const query = new URLSearchParams({ group });
  for (const code of flags.values.code ?? []) query.append('code', code);
  for (const type of flags.values.type ?? []) query.append('type', type);
  const ids = flags.values['event-id'] ?? [];
  if (ids.length > 1) throw new CliFailure('troupe dlq list takes one --event-id', EXIT.usage);
  if (ids[0]) query.set('eventId', ids[0]);
  if (flags.values.key) query.set('key', flags.values.key[0]);
  if (flags.values.from) query.set('from', parseTime('from', flags.values.from[0]));
  if (flags.values.to) query.set('to', parseTime('to', flags.values.to[0]));
  return query;
}

async function list(ctx: CliContext, flags: ParsedFlags, group: string): Promise<number> {
  const query = filterQuery(flags, group);
  query.set('limit', String(flags.values.limit ? parsePositiveInt('limit', flags.values.limit[0]) : 20));
  const listing = await callApp<DeadLetterListing>(ctx, 'GET', `dead-letters?${query}`);
  if (ctx.json) {
    ctx.out(JSON.stringify(listing));
    return EXIT.ok;
  }
  ctx.out(`${listing.total} dead letter(s) of group ${listing.group} (${listing.topic})`);
  if (listing.total === 0) return EXIT.ok;
  for (const line of table(
    ['ERROR CODE', 'EVENT TYPE', 'COUNT', 'REDRIVEN', 'QUARANTINED'],
    listing.byCodeAndType.map((c) => [c.errorCode, c.eventType, c.count, c.redriven, c.quarantined]),
  ))
    ctx.out(line);
  ctx.out('');
  ctx.out(`newest ${listing.deadLetters.length}:`);
  for (const line of table(
    ['DEAD-LETTERED', 'EVENT ID', 'TYPE', 'KEY', 'CODE', 'ATTEMPTS', 'REDRIVES', 'STATE', 'FROM'],
    listing.deadLetters.map((d) => [
      d.deadLetter.at,
      d.eventId,
      d.eventType,
      d.key ?? '',
      d.errorCode,
      d.attempts,
      d.redriveCount,
      d.state,
      `${d.original.topic}/${d.original.partition}@${d.original.offset}`,
    ]),
  ))
    ctx.out(line);
  return EXIT.ok;
}

async function show(ctx: CliContext, group: string, eventId: string): Promise<number> {
  const listing = await callApp<DeadLetterListing>(ctx, 'GET', `dead-letters?${new URLSearchParams({ group, eventId, limit: '1000' })}`);
  if (listing.total === 0) throw new CliFailure(`no dead letter of event ${eventId} in group ${group}`, EXIT.usage);
  if (ctx.json) {
    ctx.out(JSON.stringify(listing.deadLetters));
    return EXIT.ok;
  }
  for (const d of listing.deadLetters) {
    for (const [name, value] of [
      ['event', `${d.eventId} (${d.eventType})`],
      ['key', d.key ?? '(none)'],
      ['error', `${d.errorCode}: ${d.errorMessage}`],
      ['attempts', String(d.attempts)],
      ['first failure', d.firstFailureAt ?? '?'],
      ['last failure', d.lastFailureAt ?? '?'],
      ['published at', `${d.original.topic} partition ${d.original.partition} offset ${d.original.offset}`],
      ['dead letter', `${listing.topic} partition ${d.deadLetter.partition} offset ${d.deadLetter.offset}, ${d.deadLetter.at}`],
      ['redriven', `${d.redriveCount} time(s) before; now ${d.state}`],
    ])
      ctx.out(`${name.padEnd(14)} ${value}`);
    ctx.out('');
  }
  return EXIT.ok;
}

async function redrive(ctx: CliContext, flags: ParsedFlags, group: string): Promise<number> {
  const v = flags.values;
  const request = {
    group,
    ...(v.code ? { errorCodes: v.code } : {}),
    ...(v.type ? { eventTypes: v.type } : {}),
    ...(v['event-id'] ? { eventIds: v['event-id'] } : {}),
    ...(v.key ? { key: v.key[0] } : {}),
    ...(v.from ? { from: parseTime('from', v.from[0]) } : {}),
    ...(v.to ? { to: parseTime('to', v.to[0]) } : {}),
    ...(v.rate ? { ratePerSecond: parsePositiveInt('rate', v.rate[0]) } : {}),
    all: flags.switches.has('all'),
    dryRun: flags.switches.has('dry-run'),
  };
  const outcome = await callApp<RedriveOutcome>(ctx, 'POST', 'redrives', request);
  if (ctx.json && (outcome.dryRun || flags.switches.has('no-wait'))) {
    ctx.out(JSON.stringify(outcome));
    return EXIT.ok;
  }
  if (!ctx.json) {
    ctx.out(`${outcome.dryRun ? 'dry run: ' : ''}redrive of ${outcome.topic} to group ${outcome.group} (quarantined after ${outcome.redriveLimit} redrive(s))`);
    const sum = (pick: (t: RedriveOutcome['byType'][number]) => number) => outcome.byType.reduce((n, t) => n + pick(t), 0);
    for (const line of table(
      ['EVENT TYPE', 'SELECTED', 'WOULD REDRIVE', 'WOULD QUARANTINE', 'ALREADY APPLIED'],
      [
        ...outcome.byType.map((t) => [t.eventType, t.selected, t.wouldRedrive, t.wouldQuarantine, t.alreadyApplied]),
        ['total', sum((t) => t.selected), sum((t) => t.wouldRedrive), sum((t) => t.wouldQuarantine), sum((t) => t.alreadyApplied)],
      ],
    ))
      ctx.out(line);
  }
  if (!outcome.job) return EXIT.ok;
  if (!ctx.json) ctx.out(`redrive ${outcome.job.id} started: ${outcome.job.expected} dead letter(s) via ${outcome.job.targetTopic}`);
  if (flags.switches.has('no-wait')) return EXIT.ok;
  return followJob(ctx, outcome.job.id, { tty: !!process.stderr.isTTY });
}
