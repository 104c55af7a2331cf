import { nextAfterAttempt } from '../policy/attempt-outcome.policy';
import type { TaskClaims } from '../store/task-claims';
import type { TaskOutcomes } from '../store/task-outcomes';
import type { RunningAttempt } from './attempt.runner';
import type { TaskWorkerDeps } from './task-worker';

/**
 * The lease side of a worker replica: renews the leases of what it holds (an attempt whose
 * lease is gone is aborted: another replica may run it now), and ends attempts of any replica
 * whose lease expired (their worker died or hangs), through the one retry decision.
 */
export class LeaseKeeper {
  constructor(
    private readonly claims: TaskClaims,
    private readonly outcomes: TaskOutcomes,
    private readonly deps: Pick<TaskWorkerDeps, 'handlers' | 'metrics' | 'log'>,
    private readonly worker: {
      held(): RunningAttempt[];
      wake(): void;
      lost(attempt: RunningAttempt): void;
    },
  ) {}

  async renew(): Promise<void> {
    const attempts = this.worker.held().filter((a) => !a.controller.signal.aborted);
    try {
      const held = await this.claims.renew(
        attempts.map((a) => ({
          id: a.task.id,
          attempt: a.task.attempt,
          leaseMs: a.type.options.leaseMs,
        })),
      );
      for (const a of attempts) if (!held.has(a.task.id)) this.worker.lost(a);
    } catch (error) {
      this.deps.log('warn', 'task worker: renewing leases failed', { error: String(error) });
    }
  }

  async sweep(): Promise<void> {
    try {
      const stored = await this.outcomes.sweepExpired(100, ({ type, attempt, maxAttempts }) => {
        const options = this.deps.handlers.get(type)?.type.options ?? {
          initialBackoffMs: 1000,
          backoffMultiplier: 2,
          maxBackoffMs: 300_000,
        };
        return nextAfterAttempt(
          attempt,
          { kind: 'lease-expired', error: 'lease expired' },
          { ...options, maxAttempts },
        );
      });
      for (const s of stored) {
        this.deps.metrics.attemptEnded(s.type, 'lease_expired');
        if (s.status === 'FAILED')
          this.deps.metrics.finished(s.type, 'FAILED', s.submittedAt, s.finishedAt ?? new Date());
      }
      if (stored.some((s) => s.status === 'PENDING')) this.worker.wake();
    } catch (error) {
      this.deps.log('warn', 'task worker: sweeping expired leases failed', {
        error: String(error),
      });
    }
  }
}
