import { PartitionBatch } from '../../transport/transport.port';
import { Envelope, EnvelopeOrigin, FailureState } from '../envelope';
import { ParkingLot } from '../parking/parking-lot';
import { parkRequest } from './park-request';

/**
 * Envelopes fresh from a partition batch. Waits happen in place, heartbeating, and end early if
 * the partition goes away. In 'once' groups, parking and holding insert a row into the group's
 * parking lot in the chunk's transaction; broadcast groups have no parking lot.
 */
export class FreshOrigin implements EnvelopeOrigin {
  readonly canPark: boolean;

  constructor(
    private readonly batch: PartitionBatch,
    readonly inPlaceMaxDelayMs: number,
    private readonly parking?: { lot: ParkingLot; groupId: string },
  ) {
    this.canPark = parking !== undefined;
  }

  async pause(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!this.batch.isActive()) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
      await this.batch.heartbeat().catch(() => undefined);
    }
    return this.batch.isActive();
  }

  async park(envelope: Envelope, state: FailureState | undefined, nextAttemptAt: Date): Promise<void> {
    await this.lot(envelope).park(envelope.scope.tx!, parkRequest(this.parking!.groupId, envelope, state, nextAttemptAt));
  }

  async hold(envelope: Envelope, state: FailureState): Promise<void> {
    await this.lot(envelope).park(envelope.scope.tx!, parkRequest(this.parking!.groupId, envelope, state, new Date(), true));
  }

  async settle(): Promise<void> {
    // Nothing of a fresh event waits anywhere: the offset moves past it.
  }

  private lot(envelope: Envelope): ParkingLot {
    if (!this.parking || !envelope.scope.tx) throw new Error('parking needs a once group and its chunk transaction');
    return this.parking.lot;
  }
}
