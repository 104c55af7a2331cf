import type { TaskType } from '../definition/task-type';
import type { NewTask } from '../store/task.store';
import { TASK_PRIORITIES, isTaskPriority, priorityRank } from '../task-priority';
import type { FieldError } from '../validation/field-error';
import { nulPaths, payloadErrors } from '../validation/payload.validator';
import type { TaskSubmission } from './task-submission';

/** Bounds of a submission. */
export interface SubmissionLimits {
  /** runAt may be at most this far ahead. */
  maxDelayMs: number;
  /** runAt may be at most this far in the past (clock skew; older is a client bug). */
  maxPastMs: number;
}

/**
 * Turns a submission into a task to store, or the fields that are wrong (unknown type, payload
 * not matching its type's DTO, priority or runAt out of range, a bad Idempotency-Key).
 */
export async function validateSubmission(
  submission: TaskSubmission,
  types: ReadonlyMap<string, TaskType>,
  limits: SubmissionLimits,
  now = Date.now(),
): Promise<{ task: NewTask } | { errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const type = typeof submission.type === 'string' ? types.get(submission.type) : undefined;
  if (!type)
    errors.push({ field: 'type', problems: [`must be one of: ${[...types.keys()].join(', ')}`] });
  else errors.push(...(await payloadErrors(type, submission.payload)));
  const priority = submission.priority ?? 'normal';
  if (!isTaskPriority(priority))
    errors.push({ field: 'priority', problems: [`must be one of: ${TASK_PRIORITIES.join(', ')}`] });
  let runAt: Date | null = null;
  if (submission.runAt !== undefined) {
    runAt = submission.runAt instanceof Date ? submission.runAt : new Date(submission.runAt);
    if (Number.isNaN(runAt.getTime()))
      errors.push({ field: 'runAt', problems: ['must be an ISO 8601 date-time'] });
    else if (runAt.getTime() > now + limits.maxDelayMs)
      errors.push({
        field: 'runAt',
        problems: [`must be at most ${formatDuration(limits.maxDelayMs)} ahead`],
      });
    else if (runAt.getTime() < now - limits.maxPastMs)
      errors.push({
        field: 'runAt',
        problems: [`must be at most ${formatDuration(limits.maxPastMs)} in the past`],
      });
  }
  const key = submission.idempotencyKey;
  if (
    key !== undefined &&
    (typeof key !== 'string' ||
      key.length === 0 ||
      key.length > 255 ||
      nulPaths(key, 'k').length > 0)
  )
    errors.push({
      field: 'Idempotency-Key',
      problems: ['must be 1 to 255 characters without NUL'],
    });
  if (errors.length > 0 || !type) return { errors };
  return {
    task: {
      type: type.name,
      payload: submission.payload as object,
      priority: priorityRank(priority as never),
      runAt,
      maxAttempts: type.options.maxAttempts,
      idempotencyKey: key ?? null,
    },
  };
}

/** Whether a repeated submission (same Idempotency-Key) asks for the same task. */
export function isSameSubmission(
  a: NewTask,
  b: { type: string; payload: unknown; priority: number },
): boolean {
  return (
    a.type === b.type && a.priority === b.priority && canonical(a.payload) === canonical(b.payload)
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function formatDuration(ms: number): string {
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000} days`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}
