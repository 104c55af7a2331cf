import { IncomingMessage, PartitionRange, TopicReader } from '@troupe/messaging';
import { eventOf } from './replay-selection';

/** Per event type: the ids a selection picks, and how many of them a classifier set apart. */
export interface TypeTally {
  eventIds: string[];
  setApart: number;
}

/**
 * Reads the ranges once and tallies the selected events by type (the dry run, and the count a
 * job expects). `setApart` marks events that would not be sent (a redrive's quarantine).
 */
export async function scanSelection(
  reader: TopicReader,
  topic: string,
  ranges: readonly PartitionRange[],
  selects: (m: IncomingMessage) => boolean,
  setApart: (m: IncomingMessage) => boolean = () => false,
): Promise<Map<string, TypeTally>> {
  const byType = new Map<string, TypeTally>();
  await reader.read(topic, ranges, async (_partition, messages) => {
    for (const message of messages) {
      if (!selects(message)) continue;
      const { eventId, eventType } = eventOf(message)!;
      const tally = byType.get(eventType) ?? { eventIds: [], setApart: 0 };
      if (setApart(message)) tally.setApart++;
      else tally.eventIds.push(eventId);
      byType.set(eventType, tally);
    }
  });
  return byType;
}
