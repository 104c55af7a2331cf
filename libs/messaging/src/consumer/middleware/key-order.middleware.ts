import { PARKED, blocksKey } from '../envelope';
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
  const emptyPartitions = new Set<string>();
  let epoch = -1;

  return (next) => async (envelope) => {
    const { message, received, scope } = envelope;
    const { tx, partition } = scope;
    if (!received || message.key === null || !tx || !partition) return next(envelope);
    if (partition.epoch !== epoch) {
      emptyPartitions.clear(); // another consumer may have owned these partitions meanwhile
      epoch = partition.epoch;
    }
    const id = `${partition.topic}\u001f${partition.partition}`;
    let blocked = scope.memo.get(BLOCKED) as Set<string> | undefined;
    if (!blocked) {
      blocked = new Set();
      if (!emptyPartitions.has(id)) {
        const keys = [...new Set(scope.envelopes.flatMap((e) => (e.message.key === null ? [] : [e.message.key])))];
        const found = await parking.blockedKeys(tx, groupId, partition.topic, partition.partition, keys);
        blocked = found.keys;
        if (!found.any) emptyPartitions.add(id);
      }
      scope.memo.set(BLOCKED, blocked);
    }
    if (blocked.has(message.key)) {
      await envelope.origin.park(envelope, undefined, new Date());
      return PARKED;
    }
    const result = await next(envelope);
    if (blocksKey(result)) {
      blocked.add(message.key);
      emptyPartitions.delete(id);
    }
    return result;
  };
}
