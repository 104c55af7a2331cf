import type { TaskMetrics } from '../metrics/task-metrics';
import type { AttemptRecord, StoredOutcome } from '../store/task-outcomes';
import type { RunningAttempt } from './attempt.runner';

/** An attempt the worker stops (shutdown) or never started: back to PENDING at once, not counted. */
export function interruptedRecord(
  attempt: RunningAttempt,
  workerId: string,
  now: string,
): AttemptRecord {
  return {
    id: attempt.task.id,
    attempt: attempt.task.attempt,
    claimedBy: workerId,
    next: { status: 'PENDING', retryInMs: 0, error: null, countsAsAttempt: false },
    resultJson: null,
    entry: {
      attempt: attempt.task.attempt,
      worker: workerId,
      startedAt: attempt.startedAt.toISOString(),
      finishedAt: now,
      outcome: 'interrupted',
    },
  };
}

/** Counts stored outcomes; an attempt whose write found the task no longer its own is `stale`. */
export function recordOutcomeMetrics(
  metrics: TaskMetrics,
  stored: readonly StoredOutcome[],
  records: readonly AttemptRecord[],
  typeOf: (id: string) => string | undefined,
): void {
  const byId = new Map(stored.map((s) => [s.id, s]));
  for (const record of records) {
    const s = byId.get(record.id);
    if (!s) {
      metrics.attemptEnded(typeOf(record.id) ?? 'unknown', 'stale');
      continue;
    }
    const outcome = record.entry.outcome;
    metrics.attemptEnded(
      s.type,
      outcome === 'retry' ? 'retried' : outcome === 'lease-expired' ? 'lease_expired' : outcome,
    );
    if (s.status === 'SUCCEEDED' || s.status === 'FAILED')
      metrics.finished(s.type, s.status, s.submittedAt, s.finishedAt ?? new Date());
  }
}
