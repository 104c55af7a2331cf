import type { FlowTrace } from '../../trace/flow-trace';
import type { CliContext, Verb } from '../verb';
import { callCompensation, parseArgs } from './compensation-api';
import { renderTrace } from './trace.render';

/** `troupe trace <correlation-id>`: the chain of one business flow across the services. */
export const traceVerb: Verb = {
  name: 'trace',
  summary: 'the chain of one business flow: who published what, who handled it, where it stopped',
  usage: [
    'usage: troupe trace <correlation-id> [--json]',
    '',
    'Shows one business flow across the services: which service published which event and when,',
    'which consumer groups handled it and when, the time between steps, and where the flow stopped',
    '(an event still in an outbox or quarantined there, parked with its last error, dead-lettered, or',
    "published and not handled yet). The correlation id is the event id of the flow's first event",
    '(e.g. the OrderPlaced of an order) and is on every event of the flow (header ce_correlationid,',
    "and the correlationId of every service's log lines).",
    '',
    '  --json   the whole trace as JSON (events, steps, stops, unreachable services)',
    '',
    'exit codes: 0 shown; 1 unknown correlation id or refused (token); 2 bad usage; 3 app unreachable',
  ].join('\n'),

  async run(args: string[], ctx: CliContext): Promise<number> {
    const { options, positional, problems } = parseArgs(args, [], ['json', 'help']);
    if (options.has('help')) {
      ctx.out(traceVerb.usage);
      return 0;
    }
    if (positional.length !== 1)
      problems.push(
        positional.length === 0
          ? 'the correlation id is missing'
          : `one correlation id, got ${positional.length}`,
      );
    if (positional[0] !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(positional[0]))
      problems.push(`not a correlation id: ${JSON.stringify(positional[0])}`);
    if (problems.length > 0) {
      for (const p of problems) ctx.err(`troupe trace: ${p}`);
      ctx.err(traceVerb.usage.split('\n')[0]);
      return 2;
    }
    const result = await callCompensation<FlowTrace>(
      ctx,
      'GET',
      `/trace/${encodeURIComponent(positional[0])}`,
    );
    if (!result.ok) {
      ctx.err(`troupe trace: ${result.message}`);
      return result.exitCode;
    }
    if (ctx.json || options.has('json')) ctx.out(JSON.stringify(result.body, null, 2));
    else for (const line of renderTrace(result.body)) ctx.out(line);
    return 0;
  },
};
