import { UnscopedEnvelope } from '../envelope';
import { FreshOrigin } from '../origins/fresh.origin';
import { handlerStep } from '../handler.step';
import { deadLetter } from '../middleware/dead-letter.middleware';
import { outcomeMetrics } from '../middleware/metrics.middleware';
import { compose } from '../middleware/middleware';
import { retryAndPark } from '../middleware/retry.middleware';
import { handlerTimeout } from '../middleware/timeout.middleware';
import { traceContext } from '../middleware/trace.middleware';
import { GroupPipeline, PipelineDeps } from './group-pipeline';

/**
 * 'broadcast' groups: every replica its own group, no database. Handlers run directly; failures
 * retry in place (there is nowhere to park), then go to the dead-letter topic.
 */
export function broadcastPipeline(deps: PipelineDeps): GroupPipeline {
  const { group, metrics, deadLetters, progress, log, settings } = deps;
  const step = compose(
    [outcomeMetrics(metrics, group.groupId), deadLetter(deadLetters, group.group, log), retryAndPark(metrics, group.groupId), traceContext, handlerTimeout],
    handlerStep(deps.writer),
  );
  return {
    group,
    freshOrigin: (batch) => new FreshOrigin(batch, settings.inPlaceRetryMaxDelayMs),
    async runChunk(envelopes: readonly UnscopedEnvelope[], partition, isActive) {
      const scope = { partition, envelopes, memo: new Map(), beforeCommit: [], settled: 0 };
      for (const envelope of envelopes) {
        if (!isActive()) break;
        await step({ ...envelope, scope });
        progress.tick();
        scope.settled++;
      }
      return scope.settled;
    },
  };
}
