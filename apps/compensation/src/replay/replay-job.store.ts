import { PartitionRange } from '@troupe/messaging';
import { DataSource } from 'typeorm';
import { JobKind, JobMode, ReplaySelection } from './replay-selection';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** A replay or redrive as it is kept in the compensation app's schema (table replay_job). */
export interface ReplayJob {
  id: string;
  kind: JobKind;
  group: string;
  sourceTopic: string;
  targetTopic: string;
  mode: JobMode;
  selection: ReplaySelection;
  ranges: PartitionRange[];
  /** The next offset to read, per partition: saved after every produced batch. */
  cursors: Record<string, string>;
  ratePerSecond: number;
  status: JobStatus;
  /** Events the dry run before the start selected. */
  expected: number;
  produced: number;
  quarantined: number;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

type Row = Record<string, unknown>;

/** The replay_job table. */
export class ReplayJobStore {
  constructor(private readonly db: DataSource) {}

  async insert(job: Omit<ReplayJob, 'produced' | 'quarantined' | 'error' | 'createdAt' | 'updatedAt' | 'finishedAt' | 'status'>): Promise<ReplayJob> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO replay_job (id, kind, consumer_group, source_topic, target_topic, mode, selection, ranges, cursors, rate_per_second, status, expected, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $12) RETURNING *`,
      [
        job.id,
        job.kind,
        job.group,
        job.sourceTopic,
        job.targetTopic,
        job.mode,
        JSON.stringify(job.selection),
        JSON.stringify(job.ranges),
        JSON.stringify(job.cursors),
        job.ratePerSecond,
        job.expected,
        job.createdBy,
      ],
    );
    return toJob(rows[0]);
  }

  /** Saves the cursor of one partition and what the batch before it produced, in one statement. */
  async advance(id: string, partition: number, next: string, produced: number, quarantined: number): Promise<void> {
    await this.db.query(
      `UPDATE replay_job SET cursors = jsonb_set(cursors, ARRAY[$2::text], to_jsonb($3::text)), produced = produced + $4,
        quarantined = quarantined + $5, updated_at = now() WHERE id = $1`,
      [id, String(partition), next, produced, quarantined],
    );
  }

  async finish(id: string, status: Exclude<JobStatus, 'running'>, error?: string): Promise<ReplayJob | undefined> {
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const [rows]: [Row[], number] = await this.db.query(
      `UPDATE replay_job SET status = $2, error = $3, finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running' RETURNING *`,
      [id, status, error ?? null],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async get(id: string): Promise<ReplayJob | undefined> {
    const rows: Row[] = await this.db.query(`SELECT * FROM replay_job WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async list(limit: number, kind?: JobKind): Promise<ReplayJob[]> {
    const rows: Row[] = await this.db.query(
      `SELECT * FROM replay_job WHERE $2::text IS NULL OR kind = $2 ORDER BY created_at DESC LIMIT $1`,
      [limit, kind ?? null],
    );
    return rows.map(toJob);
  }

  async running(): Promise<ReplayJob[]> {
    const rows: Row[] = await this.db.query(`SELECT * FROM replay_job WHERE status = 'running' ORDER BY created_at`);
    return rows.map(toJob);
  }
}

function toJob(row: Row): ReplayJob {
  return {
    id: row.id as string,
    kind: row.kind as JobKind,
    group: row.consumer_group as string,
    sourceTopic: row.source_topic as string,
    targetTopic: row.target_topic as string,
    mode: row.mode as JobMode,
    selection: row.selection as ReplaySelection,
    ranges: row.ranges as PartitionRange[],
    cursors: row.cursors as Record<string, string>,
    ratePerSecond: row.rate_per_second as number,
    status: row.status as JobStatus,
    expected: row.expected as number,
    produced: row.produced as number,
    quarantined: row.quarantined as number,
    error: (row.error as string | null) ?? null,
    createdBy: row.created_by as string,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    finishedAt: (row.finished_at as Date | null) ?? null,
  };
}
