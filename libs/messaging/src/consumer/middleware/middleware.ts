import { Envelope, Result } from '../envelope';

/**
 * A step of a group's pipeline: takes a envelope to its result. Handler failures travel as a
 * `failed` result, not as exceptions; what is thrown is an infrastructure failure (the database
 * or the broker went away), which ends the chunk so the partition is redelivered later.
 */
export type Step = (envelope: Envelope) => Promise<Result>;

/** One cross-cutting concern around the steps inside it (one file per concern, see this folder). */
export type Middleware = (next: Step) => Step;

/** `compose([a, b, c], handler)` runs a, then b, then c around the handler: a is outermost. */
export function compose(middleware: readonly Middleware[], innermost: Step): Step {
  return middleware.reduceRight<Step>((next, wrap) => wrap(next), innermost);
}
