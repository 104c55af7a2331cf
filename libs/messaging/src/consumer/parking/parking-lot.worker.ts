import { TroupeMetrics } from '@troupe/observability';
import { backoff } from '@troupe/outbox';
import { AvroCodec, isRetriable } from '@troupe/schemas';
import { DataSource, EntityManager } from 'typeorm';
import { GroupHandlers } from '../../registry/handler-registry';
import { IncomingMessage } from '../../transport/transport.port';
import { ChunkTransactionSettings, inChunkTransaction } from '../chunk-transaction';
import { ChunkScope, UnscopedEnvelope } from '../envelope';
import { Step } from '../middleware/middleware';
import { ParkedOrigin } from '../origins/parked.origin';
import { receive } from '../received-event';
import { ParkedEvent, ParkingLot } from './parking-lot';

export interface ParkingLotWorkerDeps {
  group: GroupHandlers;
  dataSource: DataSource;
  lot: ParkingLot;
  /** The group's pipeline for parked events (the same middleware as fresh ones, minus key order). */
  step: Step;
  codec: AvroCodec;
  metrics: TroupeMetrics;
  settings: ChunkTransactionSettings & { parkingPollIntervalMs: number };
  log: (message: string, error?: unknown) => void;
}

/**
 * Retries a 'once' group's parked events when they fall due, one key head at a time, each in a
 * transaction that holds the parked row's lock. What happens on failure is the pipeline's (the
 * {@link ParkedOrigin} reschedules, holds or deletes the row). A failure of the database or the
 * registry is not the event's: the transaction rolls back, nothing is counted, and the worker
 * backs off. Any replica of the group may work the lot; row locks keep them apart.
 */
export class ParkingLotWorker {
  private loop?: Promise<void>;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private failures = 0;

  constructor(private readonly deps: ParkingLotWorkerDeps) {}

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  /** Finishes the attempt in flight, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    const { group, lot, metrics, settings, log } = this.deps;
    while (!this.stopping) {
      let worked = false;
      let waitMs = settings.parkingPollIntervalMs;
      try {
        worked = await this.attemptNext();
        if (!worked) metrics.setParked(group.groupId, await lot.count(group.groupId));
        this.failures = 0;
      } catch (error) {
        this.failures++;
        waitMs = backoff(this.failures, settings.parkingPollIntervalMs, 30_000);
        log(`${group.groupId}: parking lot attempt failed (${this.failures} in a row), retrying in ${waitMs} ms; nothing was counted`, error);
      }
      if (!worked && !this.stopping) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, waitMs);
        });
      }
    }
  }

  /** Attempts the next due head; false when none is due. */
  private attemptNext(): Promise<boolean> {
    const { dataSource, settings, lot, group } = this.deps;
    return inChunkTransaction(dataSource, settings, async (tx) => {
      const row = await lot.lockDueHead(tx, group.groupId);
      if (!row) return false;
      await this.attempt(tx, row);
      return true;
    });
  }

  private async attempt(tx: EntityManager, row: ParkedEvent): Promise<void> {
    const { lot } = this.deps;
    const envelope = await this.envelopeOf(row);
    if (!envelope) return lot.remove(tx, row.id); // no handler of the group wants it any more
    const scope: ChunkScope = { tx, envelopes: [envelope], memo: new Map(), beforeCommit: [], settled: 0 };
    const result = await this.deps.step({ ...envelope, scope });
    if (result.outcome === 'handled' || result.outcome === 'duplicate') await lot.remove(tx, row.id);
    for (const work of scope.beforeCommit) await work();
  }

  /** Decodes the row again; a registry that does not answer is thrown (the attempt waits). */
  private async envelopeOf(row: ParkedEvent): Promise<UnscopedEnvelope | undefined> {
    const message: IncomingMessage = {
      topic: row.topic,
      partition: row.partition,
      offset: row.offset,
      key: row.key,
      value: row.value,
      headers: row.headers,
      timestamp: row.messageTime,
    };
    const base = { message, attempt: row.attempts + 1, firstFailureAt: row.firstFailureAt ?? undefined, origin: new ParkedOrigin(row, this.deps.lot) };
    try {
      const received = await receive(this.deps.codec, message);
      const handler = this.deps.group.byType.get(received.eventType);
      return handler && received.event ? { ...base, received, handler } : undefined;
    } catch (error) {
      if (isRetriable(error)) throw error;
      return { ...base, undecodable: error };
    }
  }
}
