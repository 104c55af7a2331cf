import { TroupeMetrics } from '@troupe/observability';
import { backoff } from '@troupe/outbox';
import { PartitionBatch, Subscription, Transport } from '../transport/transport.port';
import { ParkingLotWorker } from './parking/parking-lot.worker';
import { PartitionWorker } from './partition-worker';
import { ProgressWatch } from './progress-watch';

export interface GroupConsumerOptions {
  group: string;
  topics: readonly string[];
  fromBeginning: boolean;
  partitionConcurrency: number;
  restartMaxBackoffMs: number;
  /** Not ready while work in flight has made no progress for this long. */
  stuckAfterMs: number;
}

/**
 * Keeps one consumer group membership alive. If the consumer crashes, it is restarted with
 * back-off (and counted in troupe_consumer_restarts_total); it is never left silently stopped.
 * Ready means: a member of its group right now, and not stuck (see {@link ProgressWatch}).
 */
export class GroupConsumer {
  private subscription?: Subscription;
  private stopping = false;
  private restarts = 0;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    readonly options: GroupConsumerOptions,
    private readonly transport: Transport,
    private readonly worker: Pick<PartitionWorker, 'process'>,
    private readonly metrics: TroupeMetrics,
    private readonly log: (message: string, error?: unknown) => void,
    /** The group's parking-lot worker ('once' groups), started and stopped with the consumer. */
    private readonly parkingWorker?: ParkingLotWorker,
    private readonly progress = new ProgressWatch(),
  ) {}

  get group(): string {
    return this.options.group;
  }

  async start(): Promise<void> {
    this.stopping = false;
    const subscription = await this.transport.subscribe(
      {
        group: this.options.group,
        topics: this.options.topics,
        fromBeginning: this.options.fromBeginning,
        partitionConcurrency: this.options.partitionConcurrency,
      },
      (batch: PartitionBatch) => this.worker.process(batch),
    );
    this.subscription = subscription;
    subscription.onCrash((error) => this.restartAfterCrash(subscription, error));
    this.parkingWorker?.start();
  }

  /** Starts, and if that fails (the broker is down), keeps retrying in the background. */
  async launch(): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      this.scheduleRestart(error as Error);
    }
  }

  isReady(): boolean {
    return !this.stopping && this.subscription?.isMember() === true && !this.isStuck();
  }

  /** Work in flight has made no progress for longer than stuckAfterMs. */
  isStuck(): boolean {
    return this.progress.stalledForMs() > this.options.stuckAfterMs;
  }

  /** Stops fetching, lets the batch in flight finish, commits and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.subscription?.stop();
    this.subscription = undefined;
    await this.parkingWorker?.stop();
  }

  private restartAfterCrash(crashed: Subscription, error: Error): void {
    if (crashed !== this.subscription) return;
    this.subscription = undefined;
    this.scheduleRestart(error, crashed);
  }

  private scheduleRestart(error: Error, crashed?: Subscription): void {
    if (this.stopping) return;
    this.restarts++;
    this.metrics.consumerRestarted(this.options.group);
    const delay = backoff(this.restarts, 500, this.options.restartMaxBackoffMs);
    this.log(`consumer group ${this.options.group} crashed; restarting in ${delay} ms (restart ${this.restarts})`, error);
    this.restartTimer = setTimeout(() => void this.restart(crashed), delay);
  }

  private async restart(crashed?: Subscription): Promise<void> {
    // A crashed kafkajs consumer can hang in disconnect(); do not let it block the restart.
    if (crashed) await Promise.race([crashed.stop().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    if (this.stopping) return;
    try {
      await this.start();
      this.log(`consumer group ${this.options.group} restarted`);
      this.restarts = 0;
    } catch (error) {
      this.scheduleRestart(error as Error);
    }
  }
}
