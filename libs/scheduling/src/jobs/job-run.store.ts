import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SchedulingTables, schedulingTables } from '../persistence/scheduling-tables';
import type { CatalogJob } from './job-catalog';
import type { RunOutcome, RunTrigger } from './job-definition';
import { decideFirings } from './misfire.policy';

type Row = Record<string, unknown>;

/** A run this replica claimed and must carry out. */
export interface ClaimedRun {
  id: string;
  job: string;
  scheduledAt: Date;
  trigger: RunTrigger;
}

/** One row of the run history. */
export interface RunRecord extends ClaimedRun {
  outcome: RunOutcome;
  replica: string;
  claimedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  findings: Record<string, number> | null;
}

export interface JobState {
  job: string;
  paused: boolean;
  /** Every firing up to here has been decided. */
  decidedTo: Date;
}

/** What one decision did. */
export interface Decision {
  runs: ClaimedRun[];
  /** Firings recorded as MISSED. */
  missed: number;
  /** Older missed firings that were not even recorded (more than maxRecordedMisfires). */
  omitted: boolean;
}

/** A RUNNING run is ABANDONED this long after its timeout (its replica stopped without finishing it). */
const ABANDON_AFTER_TIMEOUT_MS = 10_000;

/**
 * The run history's SQL. A decision locks the job's row (SKIP LOCKED: one replica decides at a
 * time, the others move on), reads the database clock, and in one transaction inserts a row per
 * due firing (a run, or MISSED) and moves the job's cursor past them. The unique index on
 * (job, scheduled_at) backs this up: no firing can get two rows.
 */
export class JobRunStore {
  private readonly t: SchedulingTables;

  constructor(private readonly dataSource: DataSource) {
    this.t = schedulingTables(dataSource);
  }

  /** New jobs are decided from now on: nothing before their first start is back-filled. */
  async register(names: readonly string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${this.t.jobs} (name, decided_to) SELECT unnest($1::text[]), now() ON CONFLICT (name) DO NOTHING`,
      [names],
    );
  }

  /**
   * Decides the job's due firings for `replica`, unless another replica is deciding, the job is
   * paused, or a run of it is still going (firings then wait, and are misfires if they wait
   * longer than the grace time).
   */
  async decide(
    job: CatalogJob,
    replica: string,
    graceMs: number,
    maxRecorded: number,
  ): Promise<Decision> {
    const none: Decision = { runs: [], missed: 0, omitted: false };
    const name = job.definition.name;
    return this.dataSource.transaction(async (tx) => {
      const [state]: Row[] = await tx.query(
        `SELECT decided_to, paused, now() AS now FROM ${this.t.jobs} WHERE name = $1 FOR UPDATE SKIP LOCKED`,
        [name],
      );
      if (!state || state.paused) return none;
      await tx.query(
        `UPDATE ${this.t.runs} SET outcome = 'ABANDONED', finished_at = now(),
                error = 'replica ' || replica || ' did not finish the run'
          WHERE job_name = $1 AND outcome = 'RUNNING' AND deadline_at < now()`,
        [name],
      );
      const [{ busy }]: Row[] = await tx.query(
        `SELECT EXISTS (SELECT 1 FROM ${this.t.runs} WHERE job_name = $1 AND outcome = 'RUNNING') AS busy`,
        [name],
      );
      if (busy) return none;
      const now = state.now as Date;
      const misfire = job.definition.misfire;
      const max = Math.max(maxRecorded, misfire.policy === 'backfill' ? misfire.limit : 0) + 1;
      const due = job.schedule.firingsBetween(state.decided_to as Date, now, max);
      if (due.firings.length === 0) return none;
      // Late by a whole period is late whatever the grace: a restart does not fire a burst.
      const latest = due.firings[due.firings.length - 1];
      const period = job.schedule.intervalSeconds(new Date(latest.getTime() - 1)) * 1000;
      const decision = decideFirings(
        due.firings,
        now,
        Math.min(graceMs, period || graceMs),
        misfire,
      );
      const timeout = job.definition.timeoutMs + ABANDON_AFTER_TIMEOUT_MS;
      const rows = [
        ...decision.run.map((run, i) => ({
          id: randomUUID(),
          at: run.scheduledAt,
          trigger: run.trigger as RunTrigger,
          outcome: 'RUNNING' as RunOutcome,
          // Runs of one decision go one after the other.
          deadlineMs: timeout * (i + 1),
          error: null as string | null,
        })),
        ...decision.missed.map((at) => ({
          id: randomUUID(),
          at,
          trigger: 'misfire' as RunTrigger,
          outcome: 'MISSED' as RunOutcome,
          deadlineMs: null as number | null,
          error: `missed: noticed ${Math.round((now.getTime() - at.getTime()) / 1000)} s late, policy ${misfire.policy}`,
        })),
      ];
      const inserted: Row[] = await tx.query(
        `INSERT INTO ${this.t.runs}
           (id, job_name, scheduled_at, trigger, outcome, replica, claimed_at, deadline_at, finished_at, error)
         SELECT x.id, $1, x.at, x.trigger, x.outcome, $2, now(),
                now() + x.deadline_ms * interval '1 millisecond',
                CASE WHEN x.outcome = 'MISSED' THEN now() END, x.error
           FROM unnest($3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::float8[], $8::text[])
                AS x(id, at, trigger, outcome, deadline_ms, error)
         ON CONFLICT (job_name, scheduled_at) WHERE trigger <> 'manual' DO NOTHING
         RETURNING id, scheduled_at, trigger, outcome`,
        [
          name,
          replica,
          rows.map((r) => r.id),
          rows.map((r) => r.at),
          rows.map((r) => r.trigger),
          rows.map((r) => r.outcome),
          rows.map((r) => r.deadlineMs),
          rows.map((r) => r.error),
        ],
      );
      await tx.query(
        `UPDATE ${this.t.jobs} SET decided_to = $2, updated_at = now() WHERE name = $1`,
        [name, due.firings[due.firings.length - 1]],
      );
      const runs = inserted
        .filter((r) => r.outcome === 'RUNNING')
        .map((r) => ({
          id: r.id as string,
          job: name,
          scheduledAt: r.scheduled_at as Date,
          trigger: r.trigger as RunTrigger,
        }))
        .sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
      return { runs, missed: inserted.length - runs.length, omitted: due.omitted };
    });
  }

  /** A run asked for by hand, now, unless a run of the job is going ('busy'). */
  async claimManual(job: CatalogJob, replica: string): Promise<ClaimedRun | 'busy'> {
    const name = job.definition.name;
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM ${this.t.jobs} WHERE name = $1 FOR UPDATE`, [name]);
      const [{ busy }]: Row[] = await tx.query(
        `SELECT EXISTS (SELECT 1 FROM ${this.t.runs}
                         WHERE job_name = $1 AND outcome = 'RUNNING' AND deadline_at >= now()) AS busy`,
        [name],
      );
      if (busy) return 'busy';
      const id = randomUUID();
      const [row]: Row[] = await tx.query(
        `INSERT INTO ${this.t.runs} (id, job_name, scheduled_at, trigger, outcome, replica, claimed_at, deadline_at)
         VALUES ($1, $2, now(), 'manual', 'RUNNING', $3, now(), now() + $4 * interval '1 millisecond')
         RETURNING scheduled_at`,
        [id, name, replica, job.definition.timeoutMs + ABANDON_AFTER_TIMEOUT_MS],
      );
      return { id, job: name, scheduledAt: row.scheduled_at as Date, trigger: 'manual' };
    });
  }

  async markStarted(runId: string, timeoutMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.t.runs} SET started_at = now(), deadline_at = now() + $2 * interval '1 millisecond'
        WHERE id = $1 AND outcome = 'RUNNING'`,
      [runId, timeoutMs + ABANDON_AFTER_TIMEOUT_MS],
    );
  }

  /** Records the outcome, unless the run was already settled (e.g. marked ABANDONED by another replica). */
  async finish(
    runId: string,
    outcome: Exclude<RunOutcome, 'RUNNING' | 'MISSED'>,
    error: string | null,
    findings: Record<string, number> | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.t.runs} SET outcome = $2, finished_at = now(), error = $3, findings = $4::jsonb
        WHERE id = $1 AND outcome = 'RUNNING'`,
      [runId, outcome, error, findings ? JSON.stringify(findings) : null],
    );
  }

  /** Pauses or resumes; a resumed job is decided from now on (firings while paused are not made up). */
  async setPaused(name: string, paused: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.t.jobs}
          SET paused = $2, updated_at = now(), decided_to = CASE WHEN $2 THEN decided_to ELSE greatest(decided_to, now()) END
        WHERE name = $1`,
      [name, paused],
    );
  }

  async states(): Promise<Map<string, JobState>> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT name, paused, decided_to FROM ${this.t.jobs}`,
    );
    return new Map(
      rows.map((r) => [
        r.name as string,
        { job: r.name as string, paused: r.paused as boolean, decidedTo: r.decided_to as Date },
      ]),
    );
  }

  /** The job's history, newest decision first. */
  async history(name: string, limit: number): Promise<RunRecord[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM ${this.t.runs} WHERE job_name = $1 ORDER BY claimed_at DESC, scheduled_at DESC LIMIT $2`,
      [name, limit],
    );
    return rows.map(toRun);
  }

  /** Per job: the latest run that was not MISSED, and the latest success (for metrics and the admin view). */
  async latest(): Promise<Map<string, { last?: RunRecord; lastSuccess?: RunRecord }>> {
    const pick = (where: string, order: string): Promise<Row[]> =>
      this.dataSource.query(
        `SELECT r.* FROM ${this.t.jobs} j
           JOIN LATERAL (SELECT * FROM ${this.t.runs} WHERE job_name = j.name AND ${where}
                          ORDER BY ${order} LIMIT 1) r ON true`,
      );
    const [last, success] = await Promise.all([
      pick(`outcome <> 'MISSED'`, 'claimed_at DESC, scheduled_at DESC'),
      pick(`outcome = 'SUCCEEDED'`, 'finished_at DESC'),
    ]);
    const latest = new Map<string, { last?: RunRecord; lastSuccess?: RunRecord }>();
    const entry = (job: string) => latest.get(job) ?? latest.set(job, {}).get(job)!;
    for (const row of last) entry(row.job_name as string).last = toRun(row);
    for (const row of success) entry(row.job_name as string).lastSuccess = toRun(row);
    return latest;
  }

  /** Deletes history older than `retentionMs` (a job's own rows, so the index serves it). */
  async prune(names: readonly string[], retentionMs: number): Promise<number> {
    const rows: Row[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM ${this.t.runs}
          WHERE job_name = ANY($1::text[]) AND claimed_at < now() - $2 * interval '1 millisecond'
            AND outcome <> 'RUNNING' RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [names, retentionMs],
    );
    return rows[0].n as number;
  }
}

function toRun(r: Row): RunRecord {
  return {
    id: r.id as string,
    job: r.job_name as string,
    scheduledAt: r.scheduled_at as Date,
    trigger: r.trigger as RunTrigger,
    outcome: r.outcome as RunOutcome,
    replica: r.replica as string,
    claimedAt: r.claimed_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    error: (r.error as string | null) ?? null,
    findings: (r.findings as Record<string, number> | null) ?? null,
  };
}
