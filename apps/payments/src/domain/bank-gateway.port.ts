export interface AuthorizationRequest {
  /** Also the idempotency key at the bank: asking twice for one order authorizes once. */
  orderId: string;
  amountCents: number;
}

export type AuthorizationResult = { approved: true } | { approved: false; reason: string };

/**
 * The bank, as payments sees it. Called inside the handler's transaction, which may be retried
 * after a failure, so an adapter must treat a repeated request for the same order as the same
 * authorization. Errors it throws are retried like any handler error.
 */
export abstract class BankGateway {
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
