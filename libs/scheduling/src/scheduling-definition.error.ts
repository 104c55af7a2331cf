/**
 * A job or task type that cannot be scheduled as declared: a bad cron expression or zone, a
 * name used twice, settings naming a job that does not exist. Raised at start-up, so the
 * service does not start; the message names the job (or task type).
 */
export class SchedulingDefinitionError extends Error {
  constructor(
    readonly kind: 'job' | 'task type',
    /** The job or task type at fault. */
    readonly subject: string,
    problem: string,
  ) {
    super(`${kind} "${subject}": ${problem}`);
    this.name = 'SchedulingDefinitionError';
  }
}
