import { callApp } from '../compensation-client';
import { CliFailure, EXIT } from '../exit-codes';
import { parseFlags } from '../flags';
import { table } from '../table';
import { Verb } from '../verb';

interface Report {
  checkedAt: string;
  window: { from: string; to: string };
  gaps: Array<{ group: string; topic: string; producer: string; eventType: string; missing: number; eventIds: string[]; givenUp: string[] }>;
  replays: Array<{ group: string; topic: string; jobId: string; events: number }>;
  errors: Array<{ group: string; message: string }>;
}

const USAGE = `troupe gaps [--group <group>] [--window <duration>] [--grace <duration>] [--replay]

Events published in the window (default the app's GAP_WINDOW_MS, an hour) up to the grace period
before now (GAP_GRACE_MS, 5 minutes) that a group has not applied and that are not dead letters,
per group, producing service and event type: from Kafka and the services' inbox look-ups.
--replay replays them to their group (missed mode), each event at most GAP_REPLAY_MAX_ATTEMPTS
times; what is still missing after that is listed as given up and never replayed again.
Durations: 90s, 30m, 2h, 1d.

Exit codes: 0 no gap (or all replayed), 1 gaps found or given up, 2 bad input, 3 app or service unreachable.`;

export const gapsVerb: Verb = {
  name: 'gaps',
  summary: 'events a group has not applied after a grace period (and replay them)',
  usage: USAGE,
  async run(args, ctx) {
    const flags = parseFlags(args, { group: { value: true }, window: { value: true }, grace: { value: true }, replay: {} });
    if (flags.positionals.length) throw new CliFailure(`unexpected argument "${flags.positionals[0]}" (see troupe gaps --help)`, EXIT.usage);
    const query: Record<string, string | number> = {};
    if (flags.values.group) query.group = flags.values.group[0];
    if (flags.values.window) query.windowMs = duration('window', flags.values.window[0]);
    if (flags.values.grace) query.graceMs = duration('grace', flags.values.grace[0]);
    const replay = flags.switches.has('replay');
    const report = replay
      ? await callApp<Report>(ctx, 'POST', 'gaps/replay', query)
      : await callApp<Report>(ctx, 'GET', `gaps?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`);
    const open = report.gaps.filter((g) => !replay || g.givenUp.length > 0);
    if (ctx.json) ctx.out(JSON.stringify(report));
    else {
      ctx.out(`gaps from ${report.window.from} to ${report.window.to}: ${report.gaps.length === 0 ? 'none' : `${report.gaps.reduce((n, g) => n + g.missing, 0)} event(s) not applied`}`);
      if (report.gaps.length)
        for (const line of table(
          ['GROUP', 'PRODUCER', 'TOPIC', 'EVENT TYPE', 'MISSING', 'GIVEN UP'],
          report.gaps.map((g) => [g.group, g.producer, g.topic, g.eventType, g.missing, g.givenUp.length]),
        ))
          ctx.out(line);
      for (const r of report.replays) ctx.out(`replay ${r.jobId} started: ${r.events} event(s) of ${r.topic} to ${r.group} (troupe replay status ${r.jobId})`);
      for (const e of report.errors) ctx.err(`group ${e.group} not checked: ${e.message}`);
    }
    if (report.errors.length) return EXIT.unreachable;
    return open.length ? EXIT.failed : EXIT.ok;
  },
};

function duration(flag: string, value: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!match) throw new CliFailure(`--${flag} must be a duration such as 90s, 30m, 2h or 1d, got "${value}"`, EXIT.usage);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}
