import { callApp } from '../compensation-client';
import { CliFailure, EXIT } from '../exit-codes';
import { parseFlags, parsePositiveInt, parseTime } from '../flags';
import { followJob } from '../job-progress';
import { table } from '../table';
import { CliContext, Verb } from '../verb';

interface TypeSummary {
  eventType: string;
  selected: number;
  alreadyApplied: number;
  wouldApply: number;
}
interface ReplayOutcome {
  dryRun: boolean;
  group: string;
  topic: string;
  mode: string;
  byType: TypeSummary[];
  job?: { id: string; targetTopic: string; expected: number; ratePerSecond: number };
}

const USAGE = `troupe replay --group <group> --topic <topic> [selection] [options]
troupe replay status <id>
troupe replay list

Re-delivers events of <topic> to ONE consumer group, through the group's replay topic
(<group>.replay): the group keeps running and no other group sees anything.

Selection (at least one; all given must match):
  --from <time>          broker time, inclusive: ISO 8601 (2026-12-01T10:00:00Z) or relative (-2h, -30m)
  --to <time>            broker time, exclusive
  --partition <p:from-to> offsets of one partition, "to" exclusive (repeatable; instead of --from/--to)
  --event-id <id>        (repeatable)
  --key <key>            events of one key (aggregate id)
  --type <event type>    (repeatable) e.g. troupe.orders.OrderPlaced

Options:
  --mode missed          default: the group's inbox skips what it already applied (harmless to repeat)
  --mode reprocess       apply again even if applied (only for handlers declared reapplicable);
                         each event at most once per replay
  --dry-run              only count, by event type: selected, already applied, would be applied
  --rate <n>             events per second (default: the app's REPLAY_RATE_PER_SECOND)
  --no-wait              start and return; follow later with \`troupe replay status <id>\`

Exit codes: 0 done, 1 the replay failed, 2 bad input (nothing changed), 3 app or service unreachable.`;

const FLAGS = {
  group: { value: true },
  topic: { value: true },
  from: { value: true },
  to: { value: true },
  partition: { value: true, many: true },
  'event-id': { value: true, many: true },
  key: { value: true },
  type: { value: true, many: true },
  mode: { value: true },
  rate: { value: true },
  'dry-run': {},
  'no-wait': {},
};

export const replayVerb: Verb = {
  name: 'replay',
  summary: 'replay events of a topic to one consumer group (missed or reprocess), dry run first',
  usage: USAGE,
  async run(args, ctx) {
    const flags = parseFlags(args, FLAGS);
    const [sub, id] = flags.positionals;
    if (sub === 'status') {
      if (!id) throw new CliFailure('troupe replay status needs the replay id', EXIT.usage);
      return followJob(ctx, id, { tty: !!process.stderr.isTTY });
    }
    if (sub === 'list') return list(ctx);
    if (sub) throw new CliFailure(`unknown replay command "${sub}" (see troupe replay --help)`, EXIT.usage);
    const one = (name: string) => flags.values[name]?.[0];
    if (!one('group') || !one('topic')) throw new CliFailure('--group and --topic are required (see troupe replay --help)', EXIT.usage);
    const mode = one('mode') ?? 'missed';
    if (mode !== 'missed' && mode !== 'reprocess') throw new CliFailure(`--mode must be missed or reprocess, got "${mode}"`, EXIT.usage);
    const request = {
      group: one('group'),
      topic: one('topic'),
      ...(one('from') ? { from: parseTime('from', one('from')!) } : {}),
      ...(one('to') ? { to: parseTime('to', one('to')!) } : {}),
      ...(flags.values.partition ? { partitions: flags.values.partition.map(parsePartition) } : {}),
      ...(flags.values['event-id'] ? { eventIds: flags.values['event-id'] } : {}),
      ...(one('key') !== undefined ? { key: one('key') } : {}),
      ...(flags.values.type ? { eventTypes: flags.values.type } : {}),
      ...(one('rate') ? { ratePerSecond: parsePositiveInt('rate', one('rate')!) } : {}),
      mode,
      dryRun: flags.switches.has('dry-run'),
    };
    const outcome = await callApp<ReplayOutcome>(ctx, 'POST', 'replays', request);
    if (outcome.dryRun || !outcome.job) {
      if (ctx.json) ctx.out(JSON.stringify(outcome));
      else printSummary(ctx, outcome);
      return EXIT.ok;
    }
    if (!ctx.json) {
      printSummary(ctx, outcome);
      ctx.out(`replay ${outcome.job.id} started: ${outcome.job.expected} events to ${outcome.group} via ${outcome.job.targetTopic} at ${outcome.job.ratePerSecond}/s`);
    }
    if (flags.switches.has('no-wait')) {
      if (ctx.json) ctx.out(JSON.stringify(outcome));
      return EXIT.ok;
    }
    return followJob(ctx, outcome.job.id, { tty: !!process.stderr.isTTY });
  },
};

function parsePartition(value: string): { partition: number; from: string; to: string } {
  const match = /^(\d+):(\d+)-(\d+)$/.exec(value);
  if (!match) throw new CliFailure(`--partition must be <partition>:<from>-<to>, e.g. 0:120-180, got "${value}"`, EXIT.usage);
  return { partition: Number(match[1]), from: match[2], to: match[3] };
}

function printSummary(ctx: CliContext, outcome: ReplayOutcome): void {
  const verb = outcome.mode === 'reprocess' ? 'WOULD RE-APPLY' : 'WOULD APPLY';
  ctx.out(`${outcome.dryRun ? 'dry run: ' : ''}replay of ${outcome.topic} to group ${outcome.group}, mode ${outcome.mode}`);
  const total = (pick: (t: TypeSummary) => number) => outcome.byType.reduce((n, t) => n + pick(t), 0);
  for (const line of table(
    ['EVENT TYPE', 'SELECTED', 'ALREADY APPLIED', verb],
    [
      ...outcome.byType.map((t) => [t.eventType, t.selected, t.alreadyApplied, t.wouldApply]),
      ['total', total((t) => t.selected), total((t) => t.alreadyApplied), total((t) => t.wouldApply)],
    ],
  ))
    ctx.out(line);
}

async function list(ctx: CliContext): Promise<number> {
  const jobs = await callApp<Array<{ id: string; group: string; sourceTopic: string; mode: string; status: string; produced: number; expected: number; createdBy: string; createdAt: string }>>(
    ctx,
    'GET',
    'replays',
  );
  if (ctx.json) ctx.out(JSON.stringify(jobs));
  else
    for (const line of table(
      ['ID', 'CREATED', 'BY', 'GROUP', 'TOPIC', 'MODE', 'STATUS', 'SENT', 'OF'],
      jobs.map((j) => [j.id, j.createdAt, j.createdBy, j.group, j.sourceTopic, j.mode, j.status, j.produced, j.expected]),
      '',
    ))
      ctx.out(line);
  return EXIT.ok;
}
