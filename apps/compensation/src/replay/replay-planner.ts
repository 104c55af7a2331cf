import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { ClusterAdmin, PartitionRange, Transport } from '@troupe/messaging';
import { ReplaySelection } from './replay-selection';

/**
 * Turns a selection into the offset ranges to read, per partition, from what the broker holds
 * now. Refuses (4xx, nothing changed) a topic that does not exist, a partition or offset it does
 * not have, and a range older than what the topic still keeps.
 */
export class ReplayPlanner {
  constructor(
    private readonly transport: Transport,
    private readonly admin: ClusterAdmin,
  ) {}

  async ranges(selection: ReplaySelection): Promise<PartitionRange[]> {
    const { topic } = selection;
    const [described] = await this.transport.describeTopics([topic]);
    if (!described) throw new NotFoundException(`topic ${topic} does not exist`);
    const offsets = await this.admin.topicOffsets(topic);
    const held = new Map(offsets.map((o) => [o.partition, o]));
    if (selection.partitions?.length) {
      return selection.partitions.map((range) => {
        const kept = held.get(range.partition);
        if (!kept) throw new UnprocessableEntityException(`topic ${topic} has no partition ${range.partition} (it has ${offsets.length})`);
        if (BigInt(range.from) >= BigInt(range.to))
          throw new UnprocessableEntityException(`partition ${range.partition}: from (${range.from}) must be below to (${range.to})`);
        if (BigInt(range.from) < BigInt(kept.earliest))
          throw new UnprocessableEntityException(
            `topic ${topic} no longer holds offset ${range.from} of partition ${range.partition}: the oldest it keeps is ${kept.earliest}`,
          );
        if (BigInt(range.to) > BigInt(kept.latest))
          throw new UnprocessableEntityException(
            `partition ${range.partition} of ${topic} ends at offset ${kept.latest}; to (${range.to}) is beyond it`,
          );
        return { partition: range.partition, from: range.from, to: range.to };
      });
    }
    const from = selection.from ? Date.parse(selection.from) : undefined;
    const to = selection.to ? Date.parse(selection.to) : undefined;
    if (from !== undefined && to !== undefined && from >= to)
      throw new UnprocessableEntityException(`from (${selection.from}) must be before to (${selection.to})`);
    if (from !== undefined && from > Date.now()) throw new UnprocessableEntityException(`from (${selection.from}) is in the future`);
    const starts = from === undefined ? undefined : new Map((await this.admin.offsetsAtTime(topic, from)).map((o) => [o.partition, o.offset]));
    const ends = to === undefined ? undefined : new Map((await this.admin.offsetsAtTime(topic, to)).map((o) => [o.partition, o.offset]));
    return offsets.map((kept) => {
      const start = starts?.get(kept.partition) ?? kept.earliest;
      const end = ends?.get(kept.partition) ?? kept.latest;
      // The broker answers the oldest kept offset for a time older than what it keeps: whatever
      // was published before it from `from` on is gone.
      if (from !== undefined && start === kept.earliest && BigInt(kept.earliest) > 0n && BigInt(end) > BigInt(start))
        throw new UnprocessableEntityException(
          `topic ${topic} no longer holds all events from ${selection.from}: partition ${kept.partition} keeps offsets from ${kept.earliest} on (older ones were deleted); choose a later from`,
        );
      return { partition: kept.partition, from: start, to: BigInt(end) < BigInt(start) ? start : end };
    });
  }
}
