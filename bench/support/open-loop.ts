import { performance } from 'node:perf_hooks';
import { sleep } from './stats';

export interface OpenLoopResult {
  started: number;
  elapsedMs: number;
  /** Most operations in flight at once: it grows when the system falls behind the rate. */
  maxInFlight: number;
}

/**
 * Starts `operation(i)` at `rate` per second for `durationMs`, on schedule whether or not earlier
 * ones have finished (open loop: a slow system gets a queue, not a gentler load), then waits for
 * all to finish. The timer ticks about every millisecond, so operations start in small bursts.
 */
export async function runOpenLoop(
  rate: number,
  durationMs: number,
  operation: (i: number) => Promise<void>,
): Promise<OpenLoopResult> {
  const inFlight = new Set<Promise<void>>();
  let started = 0;
  let maxInFlight = 0;
  let failure: unknown;
  const startedAt = performance.now();
  for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - startedAt) {
    const due = Math.min(
      Math.floor((elapsed * rate) / 1000),
      Math.floor((durationMs * rate) / 1000),
    );
    while (started < due) {
      const running: Promise<void> = operation(started++)
        .catch((error) => void (failure ??= error))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    await sleep(1);
  }
  const elapsedMs = performance.now() - startedAt;
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { started, elapsedMs, maxInFlight };
}
