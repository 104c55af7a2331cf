import { ReadinessCheck } from '@troupe/observability';
import { TroupeRuntime } from '../troupe.runtime';
import { TroupeExplorer } from './troupe.explorer';

/** What /health/ready asks of Troupe: start-up finished, and every consumer in its group and not stuck. */
export function platformReadiness(
  runtime: TroupeRuntime,
  explorer: TroupeExplorer,
): ReadinessCheck[] {
  return [
    {
      name: 'startup',
      isReady: () => explorer.phase === 'started',
      details: () => {
        if (explorer.phase === 'started') return {};
        if (explorer.phase === 'failed')
          return { message: `start-up failed: ${(explorer.failure as Error)?.message}` };
        const waiting = runtime.startup.waitingFor;
        if (!waiting) return { message: 'starting' };
        return {
          message: `waiting for ${waiting.name} at ${waiting.address}`,
          since: waiting.since.toISOString(),
          attempts: waiting.attempts,
          lastError: waiting.lastError,
        };
      },
    },
    {
      name: 'consumers',
      isReady: () => runtime.isReady(),
      details: () => {
        const stuck = runtime.stuckGroups();
        return {
          groups: runtime.consumerGroups(),
          ...(runtime.isReady()
            ? {}
            : {
                message:
                  stuck.length > 0
                    ? `stuck: ${stuck.join(', ')}`
                    : 'not every consumer is in its group',
              }),
        };
      },
    },
  ];
}
