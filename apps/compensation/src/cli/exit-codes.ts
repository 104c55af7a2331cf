/** The exit codes of every `troupe` verb (see Verb.run). */
export const EXIT = {
  ok: 0,
  /** The server reported a failure (a job failed, a conflict, an error of its own). */
  failed: 1,
  /** Bad usage or input (the server's 4xx included): nothing was changed. */
  usage: 2,
  /** The compensation app, or a dependency behind it (a service, Kafka, PostgreSQL), cannot be reached. */
  unreachable: 3,
} as const;

/** A failure a verb reports as one message and an exit code (thrown by the client and the flag parser, caught in main). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
