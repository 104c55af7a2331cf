/**
 * The RETURNING rows of an UPDATE run through TypeORM's query(): for UPDATE and DELETE it
 * answers `[rows, affectedCount]` instead of the rows (PostgresQueryRunner.query).
 */
export function updatedRows<T = Record<string, unknown>>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}
