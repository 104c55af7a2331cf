/** What a client asks for (POST /tasks, or in-process). */
export interface TaskSubmission {
  type: string;
  payload: unknown;
  /** high, normal (default) or low. */
  priority?: string;
  /** Not before this time (ISO 8601 or a Date); default now. */
  runAt?: string | Date;
  /** Repeating a submission with the same key returns the task the first one stored. */
  idempotencyKey?: string;
}
