import { DataSource } from 'typeorm';

export type AuditAction = 'replay' | 'redrive';
/** dry-run: nothing was changed; started: a job runs (its row is updated when it ends); done / failed / cancelled. */
export type AuditOutcome = 'dry-run' | 'started' | 'done' | 'failed' | 'cancelled';

export interface AuditEntry {
  id: string;
  at: Date;
  /** Who: the name configured beside the token (ADMIN_TOKEN_NAME). */
  actor: string;
  action: AuditAction;
  group: string;
  selection: Record<string, unknown>;
  counts: Record<string, number>;
  outcome: AuditOutcome;
  jobId: string | null;
  detail: string | null;
}

/** The audit table: one row per replay or redrive request (dry runs included), updated as its job ends. */
export class AuditLog {
  constructor(private readonly db: DataSource) {}

  async record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_entry (actor, action, consumer_group, selection, counts, outcome, job_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [entry.actor, entry.action, entry.group, JSON.stringify(entry.selection), JSON.stringify(entry.counts), entry.outcome, entry.jobId, entry.detail],
    );
  }

  /** The job's entry gets its final outcome and counts. */
  async settle(jobId: string, outcome: AuditOutcome, counts: Record<string, number>, detail?: string): Promise<void> {
    await this.db.query(`UPDATE audit_entry SET outcome = $2, counts = counts || $3::jsonb, detail = coalesce($4, detail) WHERE job_id = $1`, [
      jobId,
      outcome,
      JSON.stringify(counts),
      detail ?? null,
    ]);
  }

  async list(options: { limit: number; group?: string; action?: AuditAction }): Promise<AuditEntry[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT * FROM audit_entry WHERE ($2::text IS NULL OR consumer_group = $2) AND ($3::text IS NULL OR action = $3) ORDER BY at DESC, id DESC LIMIT $1`,
      [options.limit, options.group ?? null, options.action ?? null],
    );
    return rows.map((row) => ({
      id: String(row.id),
      at: row.at as Date,
      actor: row.actor as string,
      action: row.action as AuditAction,
      group: row.consumer_group as string,
      selection: row.selection as Record<string, unknown>,
      counts: row.counts as Record<string, number>,
      outcome: row.outcome as AuditOutcome,
      jobId: (row.job_id as string | null) ?? null,
      detail: (row.detail as string | null) ?? null,
    }));
  }
}
