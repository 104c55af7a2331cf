import { formatDistribution } from './stats';
import { EventStamps } from './timed.transport';

/** Every timestamp of one event on its way, performance.now() in this process. */
export interface EventTimeline extends EventStamps {
  committedAt: number;
  handlerStartedAt: number;
}

/** The legs of the path, each from one stamp to the next. */
const STAGES: ReadonlyArray<[string, keyof EventTimeline, keyof EventTimeline]> = [
  ['commit → relay send starts', 'committedAt', 'sendStartedAt'],
  ['relay send → Kafka ack (acks=all)', 'sendStartedAt', 'ackedAt'],
  ['Kafka ack → batch reaches consumer', 'ackedAt', 'deliveredAt'],
  ['batch → handler start (decode, inbox)', 'deliveredAt', 'handlerStartedAt'],
];

/** One line per leg: its distribution over the events that have both stamps. */
export function formatStages(timelines: readonly EventTimeline[], indent = '    '): string {
  return STAGES.map(([name, from, to]) => {
    const legs = timelines
      .filter((t) => t[from] !== undefined && t[to] !== undefined)
      .map((t) => t[to]! - t[from]!);
    return `${indent}${name.padEnd(38)} ${formatDistribution(legs)}`;
  }).join('\n');
}
