import { Envelope, EnvelopeOrigin, FailureState } from '../envelope';
import { ParkedEvent, ParkingLot } from '../parking/parking-lot';
import { errorText } from './park-request';

/**
 * An envelope rebuilt from a parked row, in the transaction that holds the row's lock. It never
 * waits in place: parking again reschedules the row; holding keeps it as its key's blocker;
 * settling deletes it.
 */
export class ParkedOrigin implements EnvelopeOrigin {
  readonly inPlaceMaxDelayMs = 0;
  readonly canPark = true;

  constructor(
    private readonly row: ParkedEvent,
    private readonly lot: ParkingLot,
  ) {}

  async pause(): Promise<boolean> {
    return true;
  }

  async park(envelope: Envelope, state: FailureState | undefined, nextAttemptAt: Date): Promise<void> {
    await this.lot.reschedule(envelope.scope.tx!, this.row.id, state?.attempts ?? this.row.attempts, errorText(state?.error), nextAttemptAt);
  }

  async hold(envelope: Envelope, state: FailureState): Promise<void> {
    await this.lot.hold(envelope.scope.tx!, this.row.id, state.attempts, errorText(state.error));
  }

  async settle(envelope: Envelope): Promise<void> {
    await this.lot.remove(envelope.scope.tx!, this.row.id);
  }
}
