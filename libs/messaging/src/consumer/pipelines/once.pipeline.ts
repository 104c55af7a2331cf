import { DataSource } from 'typeorm';
import { inChunkTransaction } from '../chunk-transaction';
import { ChunkScope, UnscopedEnvelope } from '../envelope';
import { handlerStep } from '../handler.step';
import { Inbox } from '../inbox/inbox';
import { deadLetter } from '../middleware/dead-letter.middleware';
import { ChunkClaims } from '../middleware/inbox.middleware';
import { KeyOrder } from '../middleware/key-order.middleware';
import { BatchRunner } from '../batch/batch-runner';
import { outcomeMetrics } from '../middleware/metrics.middleware';
import { Middleware, compose } from '../middleware/middleware';
import { retryAndPark } from '../middleware/retry.middleware';
import { savepoint } from '../middleware/savepoint.middleware';
import { handlerTimeout } from '../middleware/timeout.middleware';
import { traceContext } from '../middleware/trace.middleware';
import { FreshOrigin } from '../origins/fresh.origin';
import { ParkingLot } from '../parking/parking-lot';
import { ParkingLotWorker } from '../parking/parking-lot.worker';
import { GroupPipeline, PipelineDeps } from './group-pipeline';
import { AvroCodec } from '@troupe/schemas';

/**
 * 'once' groups: one transaction per chunk; the inbox makes redeliveries no-ops; each attempt in
 * its own savepoint; long retries park the event in the group's parking lot with its key's later
 * events queued behind it; what is given up on goes to the dead-letter topic. The parking-lot
 * worker runs the same middleware (minus the key order it keeps by construction), so fresh and
 * parked events follow one failure policy. Runs of a chunk share one savepoint ({@link BatchRunner}):
 * a batch handler's events in one call, and the events of handlers declaring `effects:
 * 'transaction'` one call after another; a run that fails falls back to this per-event path.
 */
export function oncePipeline(deps: PipelineDeps & { dataSource: DataSource; codec: AvroCodec }): GroupPipeline {
  const { group, metrics, deadLetters, progress, log, settings, dataSource } = deps;
  const { groupId } = group;
  const parking = new ParkingLot(dataSource);
  const claims = new ChunkClaims(new Inbox(), groupId, settings.lockTimeoutMs);
  const keys = new KeyOrder(parking, groupId);
  const runs = new BatchRunner({ groupId, claims, keys, writer: deps.writer, metrics, log });
  const around = (extra: Middleware[]) =>
    compose(
      [
        outcomeMetrics(metrics, groupId),
        claims.middleware,
        ...extra,
        deadLetter(deadLetters, group.group, log),
        retryAndPark(metrics, groupId),
        savepoint,
        traceContext,
        handlerTimeout,
      ],
      handlerStep(deps.writer),
    );
  const fresh = around([keys.middleware]);
  const parkingWorker = new ParkingLotWorker({ group, dataSource, lot: parking, step: around([]), codec: deps.codec, metrics, settings, log });

  return {
    group,
    parkingWorker,
    freshOrigin: (batch) => new FreshOrigin(batch, settings.inPlaceRetryMaxDelayMs, { lot: parking, groupId }),
    runChunk: (envelopes: readonly UnscopedEnvelope[], partition, isActive) =>
      inChunkTransaction(dataSource, settings, async (tx) => {
        const scope: ChunkScope = { tx, partition, envelopes, memo: new Map(), beforeCommit: [], settled: 0 };
        let aloneUntil = 0; // envelopes of a batch that fell back go one at a time
        while (scope.settled < envelopes.length) {
          if (!isActive()) break;
          const at = scope.settled;
          const run = at >= aloneUntil ? BatchRunner.runLength(envelopes, at) : 0;
          if (run > 0) {
            const result = await runs.apply(envelopes.slice(at, at + run), scope);
            if (result.applied) {
              progress.tick();
              scope.settled += run;
              continue;
            }
            aloneUntil = at + result.alone;
          }
          const result = await fresh({ ...envelopes[at], scope });
          progress.tick();
          if (result.outcome === 'deferred') break;
          scope.settled++;
        }
        for (const work of scope.beforeCommit) await work();
        return scope.settled;
      }),
  };
}
