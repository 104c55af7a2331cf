/** The registry answered an unexpected status, or did not answer. Names the request. */
export class RegistryRequestError extends Error {
  readonly code = 'REGISTRY_REQUEST_FAILED';

  constructor(
    readonly request: string,
    /** HTTP status; undefined when the registry could not be reached. */
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`${request} failed${status === undefined ? '' : ` with ${status}`}: ${detail}`);
    this.name = 'RegistryRequestError';
  }
}
