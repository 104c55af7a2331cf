import { TroupeError } from '@troupe/schemas';

/**
 * The cluster does not fit what the service declares (a topic it reads is missing, a topic keeps
 * messages longer than the inbox remembers them): a setting to fix, so start-up stops.
 */
export class TopologyRefusedError extends TroupeError {
  constructor(message: string) {
    super('topology-refused', message, false);
  }
}
