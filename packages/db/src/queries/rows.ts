/**
 * Raw `db.execute` results, whichever driver ran them: postgres.js answers an array of rows,
 * PGlite an object with `rows`.
 */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[]
}

/** A numeric column as a number (drivers may answer bigint and numeric as strings), or null. */
export function readNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}
