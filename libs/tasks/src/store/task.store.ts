import { OutboxWriter } from '@troupe/outbox';
import { TaskCancelled, TaskSubmitted } from '@troupe/schemas';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { QueueSnapshot } from '../metrics/task-metrics';
import { priorityOf } from '../task-priority';
import type { TaskStatus } from '../task-status';
import { TASK_COLUMNS, TaskRecord, toTaskRecord } from './task-row';
import { taskTables } from './task-tables';
import { updatedRows } from './updated-rows';

/** A validated submission, ready to store. */
export interface NewTask {
  type: string;
  payload: object;
  /** Rank: 0 high, 1 normal, 2 low. */
  priority: number;
  runAt: Date | null;
  maxAttempts: number;
  idempotencyKey: string | null;
}

export interface TaskPage {
  items: TaskRecord[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

/**
 * The task table on the web side: a submission stores the row and its TaskSubmitted in one
 * transaction (the outbox), so a task is never stored without being announced, nor announced
 * without being stored. An Idempotency-Key finds the task an earlier request stored.
 */
export class TaskStore {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {
    this.table = taskTables(dataSource).tasks;
  }

  /** Stores the tasks and their events; with a key already used, returns that task instead (created false). */
  async submit(task: NewTask): Promise<{ task: TaskRecord; created: boolean }> {
    const [stored] = await this.dataSource.transaction((tx) => this.insert(tx, [task]));
    if (stored) return { task: stored, created: true };
    const earlier = await this.byIdempotencyKey(task.idempotencyKey!);
    return { task: earlier!, created: false };
  }

  /** Many tasks in one transaction (in-process producers); tasks whose key was used are left out. */
  submitMany(tasks: readonly NewTask[]): Promise<TaskRecord[]> {
    return this.dataSource.transaction((tx) => this.insert(tx, tasks));
  }

  async get(id: string): Promise<TaskRecord | null> {
    const rows = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM ${this.table} WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? toTaskRecord(rows[0]) : null;
  }

  async getMany(ids: readonly string[]): Promise<TaskRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM ${this.table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toTaskRecord);
  }

  async byIdempotencyKey(key: string): Promise<TaskRecord | null> {
    const rows = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM ${this.table} WHERE idempotency_key = $1`,
      [key],
    );
    return rows.length > 0 ? toTaskRecord(rows[0]) : null;
  }

  /** Newest first, keyset-paged by id (UUIDv7: submission order). */
  async list(filter: {
    status?: TaskStatus;
    type?: string;
    limit: number;
    after?: string;
  }): Promise<TaskPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.type) add('type = ?', filter.type);
    if (filter.after) add('id < ?::uuid', filter.after);
    params.push(filter.limit + 1);
    const rows = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM ${this.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const items = (rows as Record<string, unknown>[]).slice(0, filter.limit).map(toTaskRecord);
    return { items, next: rows.length > filter.limit ? items[items.length - 1].id : null };
  }

  /** Counts for the gauges: PENDING/RUNNING by type, and due PENDING per priority with the oldest's age. */
  async snapshot(): Promise<QueueSnapshot> {
    const [byType, byPriority] = await Promise.all([
      this.dataSource.query(
        `SELECT type, status, count(*)::int AS n FROM ${this.table} WHERE status IN ('PENDING', 'RUNNING') GROUP BY type, status`,
      ),
      this.dataSource.query(
        `SELECT priority, count(*)::int AS n, extract(epoch FROM now() - min(run_at)) AS age
           FROM ${this.table} WHERE status = 'PENDING' AND run_at <= now() GROUP BY priority`,
      ),
    ]);
    return {
      byTypeAndStatus: byType.map((r: Record<string, unknown>) => ({
        type: r.type as string,
        status: r.status as string,
        count: Number(r.n),
      })),
      byPriority: byPriority.map((r: Record<string, unknown>) => ({
        priority: Number(r.priority),
        due: Number(r.n),
        oldestDueAgeSeconds: Math.max(0, Number(r.age)),
      })),
    };
  }

  /** PENDING → CANCELLED with its TaskCancelled; null when there is no such task, the task when it was not pending. */
  async cancel(id: string): Promise<{ task: TaskRecord; cancelled: boolean } | null> {
    const cancelled = await this.dataSource.transaction(async (tx) => {
      const rows = updatedRows(
        await tx.query(
          `UPDATE ${this.table} SET status = 'CANCELLED', finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'PENDING' RETURNING ${TASK_COLUMNS}`,
          [id],
        ),
      );
      if (rows.length === 0) return null;
      const task = toTaskRecord(rows[0]);
      await this.outbox.add(
        tx,
        TaskCancelled.of({
          taskId: task.id,
          taskType: task.type,
          cancelledAt: task.finishedAt!.getTime(),
        }),
      );
      return task;
    });
    if (cancelled) return { task: cancelled, cancelled: true };
    const task = await this.get(id);
    return task ? { task, cancelled: false } : null;
  }

  private async insert(tx: EntityManager, tasks: readonly NewTask[]): Promise<TaskRecord[]> {
    const ids = tasks.map(() => uuidv7());
    const rows: Record<string, unknown>[] = await tx.query(
      `INSERT INTO ${this.table} (id, type, priority, status, payload, run_at, max_attempts, idempotency_key)
       SELECT id, type, priority, 'PENDING', payload, coalesce(run_at, now()), max_attempts, idempotency_key
         FROM unnest($1::uuid[], $2::text[], $3::smallint[], $4::jsonb[], $5::timestamptz[], $6::int[], $7::text[])
           AS t(id, type, priority, payload, run_at, max_attempts, idempotency_key)
       ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING ${TASK_COLUMNS}`,
      [
        ids,
        tasks.map((t) => t.type),
        tasks.map((t) => t.priority),
        tasks.map((t) => JSON.stringify(t.payload)),
        tasks.map((t) => t.runAt),
        tasks.map((t) => t.maxAttempts),
        tasks.map((t) => t.idempotencyKey),
      ],
    );
    const stored = rows.map(toTaskRecord);
    if (stored.length === 0) return stored;
    await this.outbox.addAll(
      tx,
      stored.map((task) => ({
        event: TaskSubmitted.of({
          taskId: task.id,
          taskType: task.type,
          priority: priorityOf(task.priority),
          runAt: task.runAt.getTime(),
          submittedAt: task.submittedAt.getTime(),
        }),
      })),
    );
    return stored;
  }
}
