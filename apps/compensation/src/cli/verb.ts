export interface CliContext {
  /** Base URL of the compensation app (--url, else TROUPE_COMPENSATION_URL, else http://127.0.0.1:<its default port>). */
  url: string;
  /** Admin token (--token, else TROUPE_ADMIN_TOKEN); never printed. */
  token?: string;
  /** --json: machine-readable output on stdout. */
  json: boolean;
  out(line: string): void;
  err(line: string): void;
}
export interface Verb {
  name: string;             // e.g. 'replay', 'dlq'
  summary: string;          // one line for `troupe --help`
  usage: string;            // full text for `troupe <verb> --help`
  /** Returns the exit code: 0 ok, 1 failure reported by the server, 2 bad usage/input, 3 cannot reach the app/dependency. */
  run(args: string[], ctx: CliContext): Promise<number>;
}
