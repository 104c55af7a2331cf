import { DataSource } from 'typeorm';

/** Qualified names of the scheduler's tables in a DataSource's schema. */
export interface SchedulingTables {
  jobs: string;
  runs: string;
  tasks: string;
  attempts: string;
}

/** The tables live in the DataSource's `schema` option (serviceDatabaseOptions sets it), else public. */
export function schedulingTables(dataSource: DataSource): SchedulingTables {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const q = (table: string) => `"${schema.replace(/"/g, '""')}"."${table}"`;
  return {
    jobs: q('scheduled_jobs'),
    runs: q('job_runs'),
    tasks: q('tasks'),
    attempts: q('task_attempts'),
  };
}
