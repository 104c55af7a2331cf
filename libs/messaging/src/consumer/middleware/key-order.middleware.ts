import { ChunkScope, PARKED, blocksKey } from '../envelope';
import { ParkingLot } from '../parking/parking-lot';
import { Middleware } from './middleware';

const BLOCKED = Symbol('key-order.blocked');

/**
 * Per-key order across long retries ('once' groups, fresh events): an event whose key has events
 * waiting in the parking lot queues behind them (parked with no attempt), and once an event of a
 * key is parked or held, the key's later events in the chunk queue too. The parking-lot check is
 * one statement per chunk inside its transaction, and is skipped for a partition this consumer
 * found empty and has parked nothing in since (within one assignment of the partition).
 */
export function keyOrder(parking: ParkingLot, groupId: string): Middleware {
  return new KeyOrder(parking, groupId).middleware;
}

/** The keys of a chunk that queue behind parked events ({@link keyOrder}; the batch runner asks too). */
export class KeyOrder {
  private readonly emptyPartitions = new Set<string>();
  private epoch = -1;

  constructor(
    private readonly parking: ParkingLot,
    private readonly groupId: string,
  ) {}

  /** The chunk's blocked keys: one statement per chunk, none for a partition known empty. */
  async blockedKeys(scope: ChunkScope): Promise<Set<string>> {
    const { tx, partition } = scope;
    if (!tx || !partition) return new Set();
    let blocked = scope.memo.get(BLOCKED) as Set<string> | undefined;
    if (blocked) return blocked;
    if (partition.epoch !== this.epoch) {
      this.emptyPartitions.clear(); // another consumer may have owned these partitions meanwhile
      this.epoch = partition.epoch;
    }
    blocked = new Set();
    const id = partitionId(partition);
    if (!this.emptyPartitions.has(id)) {
      const keys = [...new Set(scope.envelopes.flatMap((e) => (e.message.key === null ? [] : [e.message.key])))];
      const found = await this.parking.blockedKeys(tx, this.groupId, partition.topic, partition.partition, keys);
      blocked = found.keys;
      if (!found.any) this.emptyPartitions.add(id);
    }
    scope.memo.set(BLOCKED, blocked);
    return blocked;
  }

  readonly middleware: Middleware = (next) => async (envelope) => {
    const { message, received, scope } = envelope;
    const { tx, partition } = scope;
    if (!received || message.key === null || !tx || !partition) return next(envelope);
    const blocked = await this.blockedKeys(scope);
    if (blocked.has(message.key)) {
      await envelope.origin.park(envelope, undefined, new Date());
      return PARKED;
    }
    const result = await next(envelope);
    if (blocksKey(result)) {
      blocked.add(message.key);
      this.emptyPartitions.delete(partitionId(partition));
    }
    return result;
  };
}

function partitionId(partition: NonNullable<ChunkScope['partition']>): string {
  return `${partition.topic}\u001f${partition.partition}`;
}
