/**
 * Something besides the service's Troupe consumers that /health/ready must wait for (e.g. a
 * task worker's own group membership). Provide an array of these under READINESS_CHECKS from a
 * global module.
 */
export interface ReadinessCheck {
  readonly name: string;
  isReady(): boolean;
}

export const READINESS_CHECKS = Symbol('troupe:readiness-checks');
