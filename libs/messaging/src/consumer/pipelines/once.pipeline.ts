import { DataSource } from 'typeorm';
import { inChunkTransaction } from '../chunk-transaction';
import { ChunkScope, UnscopedEnvelope } from '../envelope';
import { handlerStep } from '../handler.step';
import { Inbox } from '../inbox/inbox';
import { deadLetter } from '../middleware/dead-letter.middleware';
import { inbox } from '../middleware/inbox.middleware';
import { keyOrder } from '../middleware/key-order.middleware';
import { outcomeMetrics } from '../middleware/metrics.middleware';
import { compose } from '../middleware/middleware';
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
 * parked events follow one failure policy.
 */
export function oncePipeline(deps: PipelineDeps & { dataSource: DataSource; codec: AvroCodec }): GroupPipeline {
  const { group, metrics, deadLetters, progress, log, settings, dataSource } = deps;
  const { groupId } = group;
  const parking = new ParkingLot(dataSource);
  const around = (extra: ReturnType<typeof keyOrder>[]) =>
    compose(
      [
        outcomeMetrics(metrics, groupId),
        inbox(new Inbox(), groupId, settings.lockTimeoutMs),
        ...extra,
        deadLetter(deadLetters, group.group, log),
        retryAndPark(metrics, groupId),
        savepoint,
        traceContext,
        handlerTimeout,
      ],
      handlerStep(deps.writer),
    );
  const fresh = around([keyOrder(parking, groupId)]);
  const parkingWorker = new ParkingLotWorker({ group, dataSource, lot: parking, step: around([]), codec: deps.codec, metrics, settings, log });

  return {
    group,
    parkingWorker,
    freshOrigin: (batch) => new FreshOrigin(batch, settings.inPlaceRetryMaxDelayMs, { lot: parking, groupId }),
    runChunk: (envelopes: readonly UnscopedEnvelope[], partition, isActive) =>
      inChunkTransaction(dataSource, settings, async (tx) => {
        const scope: ChunkScope = { tx, partition, envelopes, memo: new Map(), beforeCommit: [], settled: 0 };
        for (const envelope of envelopes) {
          if (!isActive()) break;
          const result = await fresh({ ...envelope, scope });
          progress.tick();
          if (result.outcome === 'deferred') break;
          scope.settled++;
        }
        for (const work of scope.beforeCommit) await work();
        return scope.settled;
      }),
  };
}
