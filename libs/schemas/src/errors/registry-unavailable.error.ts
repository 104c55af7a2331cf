import { TroupeError } from './troupe.error';

/** The schema registry did not answer; trying again later can succeed. */
export class RegistryUnavailableError extends TroupeError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('registry-unavailable', `schema registry unavailable: ${detail}`, true, options);
  }
}
