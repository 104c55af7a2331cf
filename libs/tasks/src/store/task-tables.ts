import { DataSource } from 'typeorm';
import { TASK_TABLES } from '../task-names';

/** Qualified names of the task tables in the DataSource's schema (its `schema` option, else the search path). */
export function taskTables(dataSource: DataSource): { tasks: string; rateLimits: string } {
  const schema = (dataSource.options as { schema?: string }).schema;
  const qualify = (table: string) => (schema ? `"${schema}"."${table}"` : `"${table}"`);
  return { tasks: qualify(TASK_TABLES.tasks), rateLimits: qualify(TASK_TABLES.rateLimits) };
}
