import type { QuarantineReleaseView } from '@troupe/messaging';
import type { OutboxOverviewView } from '../../outbox/outbox-overview';
import type { CliContext, Verb } from '../verb';
import { callCompensation, parseArgs } from './compensation-api';
import { duration, table } from './trace.render';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `troupe outbox`: every service's outbox backlog and quarantine; `troupe outbox release`: put quarantined rows back in line. */
export const outboxVerb: Verb = {
  name: 'outbox',
  summary:
    "every service's outbox: unpublished rows, the oldest's age, quarantined rows; release them",
  usage: [
    'usage: troupe outbox [--service <name>] [--limit <n>] [--json]',
    '       troupe outbox release <service> (--ids <event-id>[,<event-id>...] | --all) [--json]',
    '',
    'Without a sub-command: per service, how many rows wait unpublished in its outbox and the age of',
    'the oldest, and the rows its relay quarantined (the broker refused them for good: a topic that',
    'does not exist, a record over max.message.bytes) with the reason. Later rows of a quarantined',
    "row's key wait behind it.",
    '',
    'release: once the cause is fixed, puts the quarantined rows back in line; the relay publishes',
    'them next, then the rows of their keys. A row whose cause is not fixed is quarantined again.',
    '',
    '  --service <name>   only this service',
    '  --limit <n>        quarantined rows listed per service (default 100)',
    '  --ids <ids>        release these rows (event ids, comma-separated)',
    '  --all              release every quarantined row of the service',
    '  --json             machine-readable output',
    '',
    'exit codes: 0 done; 1 refused (unknown service, bad selection, token); 2 bad usage;',
    '            3 the app, or the service, cannot be reached',
  ].join('\n'),

  async run(args: string[], ctx: CliContext): Promise<number> {
    const { options, positional, problems } = parseArgs(
      args,
      ['service', 'limit', 'ids'],
      ['all', 'json', 'help'],
    );
    if (options.has('help')) {
      ctx.out(outboxVerb.usage);
      return 0;
    }
    const json = ctx.json || options.has('json');
    const usage = (problem: string) => {
      ctx.err(`troupe outbox: ${problem}`);
      ctx.err(outboxVerb.usage.split('\n').slice(0, 2).join('\n'));
      return 2;
    };
    if (problems.length > 0) return usage(problems.join('; '));
    if (positional[0] === 'release') return release(positional.slice(1), options, json, ctx, usage);
    if (positional.length > 0) return usage(`unknown sub-command ${JSON.stringify(positional[0])}`);
    if (options.has('ids') || options.has('all'))
      return usage('--ids and --all belong to `troupe outbox release <service>`');
    const limit = options.get('limit');
    if (limit !== undefined && !/^\d{1,4}$/.test(String(limit)))
      return usage('--limit must be a number from 1 to 1000');
    const result = await callCompensation<OutboxOverviewView>(
      ctx,
      'GET',
      `/outbox${limit ? `?limit=${limit}` : ''}`,
    );
    if (!result.ok) {
      ctx.err(`troupe outbox: ${result.message}`);
      return result.exitCode;
    }
    const wanted = options.get('service');
    const services = result.body.services.filter(
      (s) => wanted === undefined || s.service === wanted,
    );
    if (wanted !== undefined && services.length === 0) {
      ctx.err(
        `troupe outbox: no service named ${wanted} (services: ${result.body.services.map((s) => s.service).join(', ')})`,
      );
      return 1;
    }
    if (json) {
      ctx.out(JSON.stringify(wanted === undefined ? result.body : { services }, null, 2));
      return 0;
    }
    const rows = services.map((s) =>
      s.reachable
        ? [
            s.service,
            String(s.unpublished),
            s.unpublished > 0 ? duration(s.oldestUnpublishedAgeSeconds * 1000) : '-',
            String(s.quarantined),
          ]
        : [s.service, '?', '?', '?', `unreachable: ${s.problem}`],
    );
    for (const line of table([['SERVICE', 'UNPUBLISHED', 'OLDEST', 'QUARANTINED', ''], ...rows]))
      ctx.out(line);
    for (const s of services) {
      if (!s.reachable || s.quarantinedRows.length === 0) continue;
      ctx.out('');
      ctx.out(
        `quarantined in ${s.service}${s.quarantined > s.quarantinedRows.length ? ` (oldest ${s.quarantinedRows.length} of ${s.quarantined})` : ''}:`,
      );
      for (const r of s.quarantinedRows)
        ctx.out(
          `  ${r.eventId}  ${r.eventType}  ${r.topic}${r.key ? ` key ${r.key}` : ''}  since ${r.quarantinedAt}: ${r.reason}`,
        );
      ctx.out(
        `  release once fixed: troupe outbox release ${s.service} --ids <event-id>[,...]   (or --all)`,
      );
    }
    return 0;
  },
};

async function release(
  positional: string[],
  options: Map<string, string | true>,
  json: boolean,
  ctx: CliContext,
  usage: (problem: string) => number,
): Promise<number> {
  if (positional.length !== 1)
    return usage(
      positional.length === 0 ? 'release needs the service' : 'release takes one service',
    );
  const ids = options.get('ids');
  if (options.has('all') === (ids !== undefined))
    return usage('release needs exactly one of --ids <event-ids> or --all');
  const list = typeof ids === 'string' ? ids.split(',').filter(Boolean) : undefined;
  const bad = list?.filter((id) => !UUID.test(id)) ?? [];
  if (list?.length === 0 || bad.length > 0)
    return usage(`--ids must be event ids (UUIDs), got ${JSON.stringify(bad[0] ?? ids)}`);
  const service = positional[0];
  const result = await callCompensation<QuarantineReleaseView>(
    ctx,
    'POST',
    `/outbox/${encodeURIComponent(service)}/release`,
    list ? { ids: list } : { all: true },
  );
  if (!result.ok) {
    ctx.err(`troupe outbox release: ${result.message}`);
    return result.exitCode;
  }
  if (json) ctx.out(JSON.stringify(result.body, null, 2));
  else
    ctx.out(
      `${service}: released ${result.body.released} quarantined row(s)` +
        (list && result.body.released < list.length
          ? ` (${list.length - result.body.released} of the ids given were not quarantined)`
          : '') +
        '; the relay publishes them next (a row whose cause is not fixed is quarantined again)',
    );
  return 0;
}
