import type { FlowTrace } from '../../trace/flow-trace';
import type { KeyFlows } from '../../trace/flow-tracer';
import type { CliContext, Verb } from '../verb';
import { callCompensation, parseArgs } from './compensation-api';
import { renderTrace, table } from './trace.render';

/** `troupe trace <correlation-id>` / `troupe trace --key <key>`: the chain of one business flow across the services. */
export const traceVerb: Verb = {
  name: 'trace',
  summary: 'the chain of one business flow: who published what, who handled it, where it stopped',
  usage: [
    'usage: troupe trace <correlation-id> [--json]',
    '       troupe trace --key <aggregate-key> [--json]',
    '',
    'Shows one business flow across the services: which service published which event and when,',
    'which consumer groups handled it and when, the time between steps, and where the flow stopped',
    '(an event still in an outbox or quarantined there, parked with its last error, dead-lettered, or',
    "published and not handled yet). The correlation id is the event id of the flow's first event",
    '(e.g. the OrderPlaced of an order) and is on every event of the flow (header ce_correlationid,',
    "and the correlationId of every service's log lines).",
    '',
    '  --key <key>  find the flow by the key of its events instead (the aggregate id, e.g. an order',
    '               id): one flow is traced; several are listed, newest first',
    '  --json       machine-readable output (the whole trace: events, steps, stops, unreachable services)',
    '',
    'exit codes: 0 shown; 1 unknown correlation id or key, or refused (token); 2 bad usage;',
    '            3 the app cannot be reached',
  ].join('\n'),

  async run(args: string[], ctx: CliContext): Promise<number> {
    const { options, positional, problems } = parseArgs(args, ['key'], ['json', 'help']);
    if (options.has('help')) {
      ctx.out(traceVerb.usage);
      return 0;
    }
    const key = options.get('key');
    if (key !== undefined && positional.length > 0)
      problems.push('give a correlation id or --key, not both');
    else if (key === undefined && positional.length !== 1)
      problems.push(
        positional.length === 0
          ? 'the correlation id is missing'
          : `one correlation id, got ${positional.length}`,
      );
    if (positional[0] !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(positional[0]))
      problems.push(`not a correlation id: ${JSON.stringify(positional[0])}`);
    if (problems.length > 0) {
      for (const p of problems) ctx.err(`troupe trace: ${p}`);
      ctx.err(traceVerb.usage.split('\n').slice(0, 2).join('\n'));
      return 2;
    }
    const json = ctx.json || options.has('json');
    let correlationId = positional[0];
    if (typeof key === 'string') {
      const found = await callCompensation<KeyFlows>(
        ctx,
        'GET',
        `/trace?key=${encodeURIComponent(key)}`,
      );
      if (!found.ok) {
        ctx.err(`troupe trace: ${found.message}`);
        return found.exitCode;
      }
      if (found.body.flows.length > 1) {
        if (json) ctx.out(JSON.stringify(found.body, null, 2));
        else {
          ctx.out(
            `key ${key} is in ${found.body.flows.length} flows (newest first); trace one with troupe trace <correlation-id>:`,
          );
          const rows = found.body.flows.map((f) => [
            f.correlationId,
            f.firstAt,
            f.services.join(','),
            f.eventTypes.map((t) => t.split('.').at(-1)).join(','),
          ]);
          for (const line of table([
            ['CORRELATION ID', 'FIRST EVENT AT', 'SERVICES', 'EVENT TYPES'],
            ...rows,
          ]))
            ctx.out(line);
        }
        return 0;
      }
      correlationId = found.body.flows[0].correlationId;
    }
    const result = await callCompensation<FlowTrace>(
      ctx,
      'GET',
      `/trace/${encodeURIComponent(correlationId)}`,
    );
    if (!result.ok) {
      ctx.err(`troupe trace: ${result.message}`);
      return result.exitCode;
    }
    if (json) ctx.out(JSON.stringify(result.body, null, 2));
    else for (const line of renderTrace(result.body)) ctx.out(line);
    return 0;
  },
};
