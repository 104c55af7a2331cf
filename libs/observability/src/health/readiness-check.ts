/**
 * One thing /health/ready waits for. `details` says what it covers, or why it is not ready.
 * The platform's own checks (start-up, consumers) come under PLATFORM_READINESS from
 * TroupeModule; a service adds its own under READINESS_CHECKS from a global module (e.g. a task
 * worker's group membership).
 */
export interface ReadinessCheck {
  readonly name: string;
  isReady(): boolean;
  details?(): Record<string, unknown>;
}

export const PLATFORM_READINESS = Symbol('troupe:platform-readiness');
export const READINESS_CHECKS = Symbol('troupe:readiness-checks');
