import { CronSchedule } from '@troupe/scheduling';
import { waitFor } from '@troupe/testing';
import {
  Replica,
  SchedulerDb,
  createSchedulerSchema,
  startReplica,
  stopReplica,
} from '../support/scheduler-replicas';

interface RunRow {
  job_name: string;
  scheduled_at: Date;
  trigger: string;
  outcome: string;
  replica: string;
  claimed_at: Date;
}

/**
 * Scheduler replicas as separate processes over one real PostgreSQL schema: firings claimed
 * once among them, and what each misfire policy does after a downtime.
 */
describe('scheduled job firings', () => {
  let db: SchedulerDb & { schema: string };
  const replicas: Replica[] = [];

  beforeAll(async () => {
    db = await createSchedulerSchema();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => stopReplica(r)));
    await db?.drop();
  });

  const runs = async (job: string): Promise<RunRow[]> =>
    db.query(`SELECT * FROM job_runs WHERE job_name = $1 ORDER BY scheduled_at`, [job]);
  const seconds = (d: Date) => d.getTime() / 1000;

  it('runs every firing of a per-second job exactly once across three replicas', async () => {
    const started = await Promise.all([1, 2, 3].map(() => startReplica('exactly-once', db.schema)));
    replicas.push(...started);
    const allUp = new Date();
    await waitFor(
      '30 firings after all three replicas were up',
      async () => {
        const [{ n }] = await db.query(
          `SELECT count(*)::int AS n FROM job_runs WHERE job_name = 'every-second' AND outcome = 'SUCCEEDED' AND scheduled_at > $1`,
          [allUp],
        );
        return n >= 30;
      },
      120_000,
      500,
    );
    expect(await Promise.all(started.map((r) => stopReplica(r)))).toEqual([0, 0, 0]);

    const history = await runs('every-second');
    const effects: Array<{ scheduled_at: Date; replica: string }> = await db.query(
      `SELECT scheduled_at, replica FROM job_effects WHERE job = 'every-second' ORDER BY scheduled_at`,
    );
    // One effect per firing, one history row per firing, and they agree on who ran it.
    expect(effects.length).toBeGreaterThanOrEqual(30);
    expect(new Set(effects.map((e) => seconds(e.scheduled_at))).size).toBe(effects.length);
    expect(history.map((r) => [seconds(r.scheduled_at), r.outcome, r.replica])).toEqual(
      effects.map((e) => [seconds(e.scheduled_at), 'SUCCEEDED', e.replica]),
    );
    // No firing between the first and the last was left out.
    const first = seconds(effects[0].scheduled_at);
    expect(effects.map((e) => seconds(e.scheduled_at))).toEqual(effects.map((_, i) => first + i));
    const byReplica = new Map<string, number>();
    for (const e of effects) byReplica.set(e.replica, (byReplica.get(e.replica) ?? 0) + 1);
    expect([...byReplica.keys()].every((r) => started.some((s) => s.replica === r))).toBe(true);
    process.stderr.write(
      `[scheduler] ${effects.length} firings, runs per replica: ${JSON.stringify(Object.fromEntries(byReplica))}\n`,
    );
  });

  it('after a stop across at least three firings, each misfire policy does what it says', async () => {
    const env = { SCHED_GRACE_MS: '500' };
    const jobs = ['skip-job', 'once-job', 'backfill-job'];
    const first = await startReplica('misfire', db.schema, env);
    replicas.push(first);
    await waitFor(
      'two runs of each job',
      async () => {
        const rows: Array<{ n: number }> = await db.query(
          `SELECT count(*)::int AS n FROM job_runs WHERE outcome = 'SUCCEEDED' AND job_name = ANY($1) GROUP BY job_name`,
          [jobs],
        );
        return rows.length === 3 && rows.every((r) => r.n >= 2);
      },
      60_000,
      200,
    );
    expect(await stopReplica(first)).toBe(0);
    const stoppedAt = new Date();
    await new Promise((resolve) => setTimeout(resolve, 8_000)); // at least three 2-second firings
    const restartedAt = new Date();
    const second = await startReplica('misfire', db.schema, env);
    replicas.push(second);
    await waitFor(
      'an on-time run of each job after the restart',
      async () => {
        const [{ n }] = await db.query(
          `SELECT count(DISTINCT job_name)::int AS n FROM job_runs
            WHERE trigger = 'schedule' AND outcome = 'SUCCEEDED' AND scheduled_at > $1`,
          [restartedAt],
        );
        return n === 3;
      },
      60_000,
      200,
    );
    expect(await stopReplica(second)).toBe(0);

    // Firings certainly in the downtime: no replica was running.
    const downtime = new CronSchedule('*/2 * * * * *', 'UTC')
      .firingsBetween(stoppedAt, restartedAt, 100)
      .firings.filter((f) => f < restartedAt)
      .map(seconds);
    expect(downtime.length).toBeGreaterThanOrEqual(3);

    for (const job of jobs) {
      const history = await runs(job);
      // Every firing from the first to the last has exactly one row: run or MISSED.
      const times = history.map((r) => seconds(r.scheduled_at));
      expect(times).toEqual(times.map((_, i) => times[0] + 2 * i));
      // The first decision after the restart covers the whole downtime.
      const firstClaim = Math.min(
        ...history.filter((r) => r.claimed_at > restartedAt).map((r) => r.claimed_at.getTime()),
      );
      const decision = history.filter((r) => r.claimed_at.getTime() === firstClaim);
      expect(decision.map((r) => seconds(r.scheduled_at))).toEqual(
        expect.arrayContaining(downtime),
      );
      expect(decision.every((r) => r.replica === second.replica)).toBe(true);
      const late = decision.filter((r) => r.trigger === 'misfire');
      expect(late.length).toBeGreaterThanOrEqual(downtime.length);
      const kept = { 'skip-job': 0, 'once-job': 1, 'backfill-job': 2 }[job]!;
      expect({ job, outcomes: late.map((r) => r.outcome) }).toEqual({
        job,
        outcomes: late.map((_, i) => (i >= late.length - kept ? 'SUCCEEDED' : 'MISSED')),
      });
      // What ran left its effect, once; what was missed left none.
      const effects: Array<{ scheduled_at: Date }> = await db.query(
        'SELECT scheduled_at FROM job_effects WHERE job = $1',
        [job],
      );
      const ran = history
        .filter((r) => r.outcome === 'SUCCEEDED')
        .map((r) => seconds(r.scheduled_at));
      expect(effects.map((e) => seconds(e.scheduled_at)).sort((a, b) => a - b)).toEqual(
        ran.sort((a, b) => a - b),
      );
      process.stderr.write(
        `[scheduler] ${job}: downtime firings ${downtime.length}, first decision after restart: ${decision.map((r) => `${r.trigger}/${r.outcome}`).join(', ')}\n`,
      );
    }
  });
});
