import {
  AuthorizationRequest,
  AuthorizationResult,
  BankGateway,
} from '../domain/bank-gateway.port';

export interface SimulatedBankRules {
  /** Every amount above this is declined. */
  declineAboveCents: number;
  /** Share (0..1) of the remaining requests declined at random. */
  failureRate: number;
}

/** A stand-in bank with fixed rules, for local runs and tests. */
export class SimulatedBankGateway extends BankGateway {
  constructor(
    private readonly rules: SimulatedBankRules,
    private readonly random: () => number = Math.random,
  ) {
    super();
  }

  async authorize({ amountCents }: AuthorizationRequest): Promise<AuthorizationResult> {
    if (amountCents > this.rules.declineAboveCents) {
      return {
        approved: false,
        reason: `amount ${amountCents} is above the limit of ${this.rules.declineAboveCents} cents`,
      };
    }
    if (this.random() < this.rules.failureRate)
      return { approved: false, reason: 'declined by the bank' };
    return { approved: true };
  }
}
