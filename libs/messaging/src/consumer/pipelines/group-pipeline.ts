import { TroupeMetrics } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { GroupHandlers } from '../../registry/handler-registry';
import { PartitionBatch } from '../../transport/transport.port';
import { ChunkTransactionSettings } from '../chunk-transaction';
import { DeadLetterPublisher } from '../dead-letter/dead-letter.publisher';
import { ChunkScope, EnvelopeOrigin, UnscopedEnvelope } from '../envelope';
import { ParkingLotWorker } from '../parking/parking-lot.worker';
import { ProgressWatch } from '../progress-watch';

/**
 * How one consumer group works through its events. There are two, assembled at wiring time:
 * {@link oncePipeline} (inbox, per-key order, parking, in one transaction per chunk) and
 * {@link broadcastPipeline} (no database: retries in place, then dead letters).
 */
export interface GroupPipeline {
  readonly group: GroupHandlers;
  /** Where envelopes of a fresh partition batch come from (waits, parking). */
  freshOrigin(batch: PartitionBatch): EnvelopeOrigin;
  /**
   * Takes a chunk's envelopes through the pipeline in partition order, as one unit of work, and
   * resolves how many were settled, in order. Fewer than all when `isActive` turned false (the
   * rest is redelivered) or an envelope was deferred (the caller starts its next chunk with it).
   * Throws when the database or the broker went away.
   */
  runChunk(envelopes: readonly UnscopedEnvelope[], partition: NonNullable<ChunkScope['partition']>, isActive: () => boolean): Promise<number>;
  /** 'once' groups: the worker that retries the group's parked events. */
  readonly parkingWorker?: ParkingLotWorker;
}

/** What both pipelines are built from. */
export interface PipelineDeps {
  group: GroupHandlers;
  writer: OutboxWriter;
  deadLetters: DeadLetterPublisher;
  metrics: TroupeMetrics;
  progress: ProgressWatch;
  settings: ChunkTransactionSettings & {
    /** Retry waits up to this long happen in place; longer ones park the event. */
    inPlaceRetryMaxDelayMs: number;
    /** How often the parking lot is polled for due events. */
    parkingPollIntervalMs: number;
  };
  log: (message: string, error?: unknown) => void;
}
