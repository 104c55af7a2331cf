/** One piece of the local infrastructure, as the CLI sees it. */
export interface Part {
  readonly name: string;
  /** Where clients connect, e.g. 127.0.0.1:9092. */
  address(): string;
  /** Makes the part healthy: reuses a healthy running instance, else starts one. Returns true if it started one. */
  up(): Promise<boolean>;
  /** Stops what the scripts started; returns false when nothing of ours was running. */
  down(): Promise<boolean>;
  /** A cheap real request against the part. */
  healthy(): Promise<boolean>;
  /** Whether our own process for it is running (undefined for parts we never start). */
  running(): boolean | undefined;
  /** The log files to show, newest lines last. */
  logFiles(): string[];
  /** Human-readable list of what `infra:reset` deletes for this part. */
  localData(): string[];
  /** Deletes local data; the part is down when this runs. */
  wipe(): Promise<void>;
}
