import { abortable, describeError, settlesWithin } from '../abortable';
import { RunTimeoutError } from '../errors/run-timeout.error';
import { SchedulerStoppingError } from '../errors/scheduler-stopping.error';
import { SchedulingMetrics } from '../metrics/scheduling-metrics';
import { Pause } from '../pause';
import type { ResolvedSchedulingOptions } from '../scheduling.options';
import type { CatalogJob, JobCatalog } from './job-catalog';
import type { JobContext } from './job-context';
import { ClaimedRun, JobRunStore } from './job-run.store';

/** How often a replica deletes expired history (every replica may; the deletes are idempotent). */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * Fires the jobs of its catalog: every tick it decides each job's due firings (one replica per
 * job at a time, see {@link JobRunStore.decide}) and carries out the runs it claimed, one after
 * the other per job, each with its timeout. Any number of replicas may run this; each firing
 * runs exactly once among them.
 */
export class JobScheduler {
  private catalog?: JobCatalog;
  private loop?: Promise<void>;
  private stopping = false;
  private readonly pause = new Pause();
  private readonly inFlight = new Map<
    string,
    { abort: (reason: Error) => void; done: Promise<void> }
  >();
  private lastPrune = 0;

  constructor(
    private readonly store: JobRunStore,
    private readonly metrics: SchedulingMetrics,
    private readonly options: ResolvedSchedulingOptions,
    private readonly onPrune: () => Promise<unknown> = async () => undefined,
  ) {}

  async start(catalog: JobCatalog): Promise<void> {
    this.catalog = catalog;
    if (this.loop || catalog.all().length === 0) return;
    await this.store.register(catalog.names());
    this.stopping = false;
    this.loop = this.run();
  }

  /** Starts a run of the job now, on this replica; 'busy' while a run of it is going. */
  async trigger(job: CatalogJob): Promise<ClaimedRun | 'busy'> {
    const run = await this.store.claimManual(job, this.options.replicaId);
    if (run !== 'busy') this.carryOut(job, [run]);
    return run;
  }

  /** Stops deciding; lets runs in flight finish (bounded), then aborts the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pause.wake();
    await this.loop;
    this.loop = undefined;
    const all = () => Promise.all([...this.inFlight.values()].map((r) => r.done));
    const finished = await settlesWithin(all(), this.options.shutdownTimeoutMs);
    if (!finished) {
      for (const [key, run] of this.inFlight) run.abort(new SchedulerStoppingError(`run ${key}`));
      await all();
    }
  }

  private async run(): Promise<void> {
    const { replicaId, misfireGraceMs, maxRecordedMisfires, log } = this.options;
    while (!this.stopping) {
      for (const job of this.catalog!.all()) {
        if (this.stopping) break;
        const name = job.definition.name;
        try {
          const decision = await this.store.decide(
            job,
            replicaId,
            misfireGraceMs,
            maxRecordedMisfires,
          );
          if (decision.missed > 0 || decision.omitted) {
            this.metrics.misfired(name, decision.missed);
            log(
              'warn',
              `job ${name}: ${decision.missed} missed firing(s) not run (misfire policy ${job.definition.misfire.policy})${decision.omitted ? '; older ones were not recorded' : ''}`,
              { job: name },
            );
          }
          if (decision.runs.length > 0) this.carryOut(job, decision.runs);
        } catch (error) {
          log('warn', `job ${name}: deciding its firings failed: ${describeError(error)}`, {
            job: name,
            error,
          });
        }
      }
      await this.pruneNowAndThen();
      await this.pause.wait(this.options.tickIntervalMs);
    }
  }

  /** The runs of one decision, one after the other; the job stays busy until the last is done. */
  private carryOut(job: CatalogJob, runs: ClaimedRun[]): void {
    const name = job.definition.name;
    let current: AbortController | undefined;
    let stopped: Error | undefined;
    const done = (async () => {
      for (const run of runs) {
        current = new AbortController();
        if (stopped) current.abort(stopped);
        await this.execute(job, run, current);
      }
    })().finally(() => this.inFlight.delete(key));
    const key = `${name}/${runs[0].id}`;
    this.inFlight.set(key, {
      abort: (reason) => {
        stopped = reason;
        current?.abort(reason);
      },
      done,
    });
  }

  private async execute(
    job: CatalogJob,
    run: ClaimedRun,
    controller: AbortController,
  ): Promise<void> {
    const { name, timeoutMs } = job.definition;
    const log = this.options.log;
    const findings: Record<string, number> = {};
    const context: JobContext = {
      job: name,
      runId: run.id,
      scheduledAt: run.scheduledAt,
      trigger: run.trigger,
      signal: controller.signal,
      report: (finding, value) => void (findings[finding] = value),
      log: (level, message, extra) => log(level, message, { job: name, runId: run.id, ...extra }),
    };
    const timer = setTimeout(
      () => controller.abort(new RunTimeoutError(`job ${name}`, timeoutMs)),
      timeoutMs,
    );
    const started = performance.now();
    let outcome: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABANDONED' = 'SUCCEEDED';
    let error: string | null = null;
    try {
      if (controller.signal.aborted) throw controller.signal.reason;
      await this.store.markStarted(run.id, timeoutMs);
      await abortable(job.handler.run(context), controller.signal);
    } catch (thrown) {
      const reason = controller.signal.aborted ? controller.signal.reason : thrown;
      outcome =
        reason instanceof RunTimeoutError
          ? 'TIMED_OUT'
          : reason instanceof SchedulerStoppingError
            ? 'ABANDONED'
            : 'FAILED';
      error = describeError(reason);
    } finally {
      clearTimeout(timer);
    }
    const seconds = (performance.now() - started) / 1000;
    await this.store
      .finish(run.id, outcome, error, Object.keys(findings).length > 0 ? findings : null)
      .catch((failure) =>
        log('warn', `job ${name}: recording run ${run.id} failed: ${describeError(failure)}`),
      );
    this.metrics.jobRunFinished(name, run.trigger, outcome, seconds);
    const at = run.scheduledAt.toISOString();
    if (outcome === 'SUCCEEDED')
      log(
        'info',
        `job ${name} (${run.trigger} ${at}) SUCCEEDED in ${Math.round(seconds * 1000)} ms`,
        { job: name, runId: run.id, findings },
      );
    else
      log('warn', `job ${name} (${run.trigger} ${at}) ${outcome}: ${error}`, {
        job: name,
        runId: run.id,
      });
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = Date.now();
    try {
      await this.store.prune(this.catalog!.names(), this.options.historyRetentionMs);
      await this.onPrune();
    } catch (error) {
      this.options.log('warn', `pruning the run history failed: ${describeError(error)}`);
    }
  }
}
